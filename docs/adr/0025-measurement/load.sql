-- :n rows
insert into bench.entries (k, origin_node, resource_id, kind, title, abstract, keywords, security_classification, institution, institution_name,
  classification_code, category, subcategory, modalities, body_parts, study_date, published_at)
select i % 32760, case when (abs(hashint8(i::bigint * 7919 + 12)) % 10) = 0 then 'shijiazhuang' else 'hebei' end,
  md5(i::text)::uuid,
  (array['ImagingStudy','ImagingStudy','ImagingStudy','Dataset','Document','Database'])[1 + (abs(hashint8(i::bigint * 7919 + 1)) % 6)],
  b.zh || m.m || p.zh || ' ' || f.zh || (array['随访','筛查','复查','病例','研究'])[1 + (abs(hashint8(k::bigint * 7919 + 2)) % 5)],
  '患者' || f2.zh || '，' || b.zh || '可见' || f.zh || '。' || f.en || ' in ' || b.en || ', ' || m.m || ' ' || p.en || '. 影像资料用于' || (array['科研','教学','质控','人工智能训练'])[1 + (abs(hashint8(k::bigint * 7919 + 3)) % 4)] || '。',
  array[f.zh, f.en, m.m, b.zh],
  (array['public','public','internal','internal','restricted','confidential'])[1 + (abs(hashint8(i::bigint * 7919 + 4)) % 6)],
  'H' || lpad((1 + (abs(hashint8(k::bigint * 7919 + 5)) % 8) * 5 + (abs(hashint8(i::bigint * 7919 + 6)) % 5))::text, 3, '0'),
  (array['河北医科大学第二医院','石家庄市人民医院','正定县人民医院','赞皇县医院','河北省胸科医院','保定市第一中心医院','唐山工人医院','邯郸市中心医院'])[1 + (abs(hashint8(k::bigint * 7919 + 5)) % 8)],
  c1 || '.' || c2 || '.' || c3, c1::text, c1 || '.' || c2,
  array[m.m] || case when (abs(hashint8(i::bigint * 7919 + 11)) % 13) = 0 then array['SR'] else array[]::text[] end,
  array[b.code],
  date '2016-01-01' + (abs(hashint8(i::bigint * 7919 + 7)) % 3650),
  timestamptz '2024-01-01' + make_interval(secs => i * 31.0)
from generate_series(1, :n) i
cross join lateral (select i % 32760 k) kk
cross join lateral (select 1 + (abs(hashint8(i::bigint * 7919 + 8)) % 5) c1, 1 + (abs(hashint8(i::bigint * 7919 + 9)) % 4) c2, 1 + (abs(hashint8(i::bigint * 7919 + 10)) % 3) c3) c
cross join lateral (select (array['胸部','头颅','腹部','盆腔','颈部','脊柱','乳腺','心脏','肝脏','肾脏'])[1 + (abs(hashint8(k::bigint * 7919 + 13)) % 10)] zh,
                           (array['chest','head','abdomen','pelvis','neck','spine','breast','heart','liver','kidney'])[1 + (abs(hashint8(k::bigint * 7919 + 13)) % 10)] en,
                           (array['CHEST','HEAD','ABDOMEN','PELVIS','NECK','SPINE','BREAST','HEART','LIVER','KIDNEY'])[1 + (abs(hashint8(k::bigint * 7919 + 13)) % 10)] code) b
cross join lateral (select (array['CT','CT','CT','MR','MR','PET-CT','DX','US','MG'])[1 + (abs(hashint8(k::bigint * 7919 + 14)) % 9)] m) m
cross join lateral (select (array['平扫','增强','三维重建','灌注成像','能谱成像'])[1 + (abs(hashint8(k::bigint * 7919 + 15)) % 5)] zh, (array['plain scan','contrast enhanced','3D reconstruction','perfusion','spectral imaging'])[1 + (abs(hashint8(k::bigint * 7919 + 15)) % 5)] en) p
cross join lateral (select (array['肺结节','肺部感染','淋巴瘤','脑梗死','骨折','肝癌','肾结石','甲状腺结节','冠心病','肺气肿','胸腔积液','脑出血','乳腺癌','椎间盘突出','胰腺炎','胆囊结石','前列腺增生','主动脉夹层','肺栓塞','骨质疏松','鼻咽癌','食管癌','胃癌','结肠癌','宫颈癌','卵巢囊肿','脂肪肝','肝硬化','脑膜瘤','胶质瘤'])[1 + (abs(hashint8(k::bigint * 7919 + 16)) % 30)] zh,
                           (array['pulmonary nodule','pneumonia','lymphoma','cerebral infarction','fracture','liver cancer','kidney stone','thyroid nodule','coronary heart disease','emphysema','pleural effusion','cerebral hemorrhage','breast cancer','disc herniation','pancreatitis','gallstone','prostatic hyperplasia','aortic dissection','pulmonary embolism','osteoporosis','nasopharyngeal carcinoma','esophageal cancer','gastric cancer','colon cancer','cervical cancer','ovarian cyst','fatty liver','cirrhosis','meningioma','glioma'])[1 + (abs(hashint8(k::bigint * 7919 + 16)) % 30)] en) f
cross join lateral (select (array['高血压病史','糖尿病史','吸烟史','无特殊病史','术后复查','体检发现'])[1 + (abs(hashint8(k::bigint * 7919 + 17)) % 6)] zh) f2;
