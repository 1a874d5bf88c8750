namespace MedImaging.Directory.Bench.Generation;

/// <summary>
/// The imaging words the generator falls back to when the concept dictionary is absent: anatomy, findings, modalities
/// and procedures in Chinese and English with common synonyms, in the dictionary's own shape. Findings are listed
/// most common first within their region (the long tail of keywords follows that order).
/// </summary>
internal static class BuiltInVocabulary
{
    // id | kind | zh | en | zh synonyms (,) | en synonyms (,) | broader ids (,)
    private const string Table = """
        a-head|anatomy|头部|head|头颅,颅脑|cranium||
        a-brain|anatomy|脑|brain|大脑,脑部|cerebrum|a-head
        a-neck|anatomy|颈部|neck|||
        a-thyroid|anatomy|甲状腺|thyroid gland|||a-neck
        a-sinus|anatomy|鼻窦|paranasal sinus|副鼻窦||a-head
        a-chest|anatomy|胸部|chest|胸廓|thorax|
        a-lung|anatomy|肺|lung|肺部,肺脏|pulmonary|a-chest
        a-mediastinum|anatomy|纵隔|mediastinum|||a-chest
        a-pleura|anatomy|胸膜|pleura|||a-chest
        a-abdomen|anatomy|腹部|abdomen|||
        a-liver|anatomy|肝|liver|肝脏|hepatic|a-abdomen
        a-kidney|anatomy|肾|kidney|肾脏|renal|a-abdomen
        a-pancreas|anatomy|胰腺|pancreas|||a-abdomen
        a-gallbladder|anatomy|胆囊|gallbladder|||a-abdomen
        a-stomach|anatomy|胃|stomach||gastric|a-abdomen
        a-pelvis|anatomy|盆腔|pelvis|骨盆||
        a-prostate|anatomy|前列腺|prostate|||a-pelvis
        a-uterus|anatomy|子宫|uterus|||a-pelvis
        a-bladder|anatomy|膀胱|urinary bladder|||a-pelvis
        a-spine|anatomy|脊柱|spine||vertebral column|
        a-lspine|anatomy|腰椎|lumbar spine|||a-spine
        a-cspine|anatomy|颈椎|cervical spine|||a-spine
        a-extremity|anatomy|四肢|extremity|肢体|limb|
        a-knee|anatomy|膝关节|knee joint|膝部|knee|a-extremity
        a-shoulder|anatomy|肩关节|shoulder joint||shoulder|a-extremity
        a-hip|anatomy|髋关节|hip joint||hip|a-extremity
        a-wrist|anatomy|腕关节|wrist joint||wrist|a-extremity
        a-heart|anatomy|心脏|heart|心|cardiac|
        a-coronary|anatomy|冠状动脉|coronary artery|冠脉||a-heart
        a-aorta|anatomy|主动脉|aorta|||a-heart
        a-breast|anatomy|乳腺|breast|乳房|mammary gland|
        a-wholebody|anatomy|全身|whole body|||
        f-lung-nodule|finding|肺结节|pulmonary nodule|肺部结节,肺内结节|lung nodule|a-lung
        f-pneumonia|finding|肺炎|pneumonia|肺部感染|pulmonary infection|a-lung
        f-ggo|finding|磨玻璃影|ground-glass opacity|磨玻璃结节|GGO|a-lung
        f-lung-cancer|finding|肺癌|lung cancer|支气管肺癌|bronchogenic carcinoma|a-lung
        f-emphysema|finding|肺气肿|emphysema|||a-lung
        f-effusion|finding|胸腔积液|pleural effusion|胸水||a-pleura
        f-tb|finding|肺结核|pulmonary tuberculosis|结核|tuberculosis|a-lung
        f-bronchiectasis|finding|支气管扩张|bronchiectasis|||a-lung
        f-pneumothorax|finding|气胸|pneumothorax|||a-pleura
        f-mediastinal-mass|finding|纵隔肿物|mediastinal mass|纵隔占位||a-mediastinum
        f-infarct|finding|脑梗死|cerebral infarction|脑梗塞|ischemic stroke|a-brain
        f-hemorrhage|finding|脑出血|intracerebral hemorrhage|颅内出血|brain haemorrhage|a-brain
        f-glioma|finding|胶质瘤|glioma|脑胶质瘤||a-brain
        f-meningioma|finding|脑膜瘤|meningioma|||a-brain
        f-thyroid-nodule|finding|甲状腺结节|thyroid nodule|||a-thyroid
        f-sinusitis|finding|鼻窦炎|sinusitis|||a-sinus
        f-white-matter|finding|脑白质病变|white matter lesion|白质高信号|leukoaraiosis|a-brain
        f-liver-cyst|finding|肝囊肿|hepatic cyst|||a-liver
        f-hcc|finding|肝细胞癌|hepatocellular carcinoma|肝癌|liver cancer|a-liver
        f-fatty-liver|finding|脂肪肝|fatty liver|肝脂肪变性|hepatic steatosis|a-liver
        f-gallstone|finding|胆囊结石|gallstone|胆结石|cholelithiasis|a-gallbladder
        f-kidney-stone|finding|肾结石|kidney stone|泌尿系结石|nephrolithiasis|a-kidney
        f-renal-cyst|finding|肾囊肿|renal cyst|||a-kidney
        f-pancreatitis|finding|胰腺炎|pancreatitis|||a-pancreas
        f-gastric-cancer|finding|胃癌|gastric cancer|||a-stomach
        f-appendicitis|finding|阑尾炎|appendicitis|||a-abdomen
        f-prostate-hyperplasia|finding|前列腺增生|benign prostatic hyperplasia|||a-prostate
        f-prostate-cancer|finding|前列腺癌|prostate cancer|||a-prostate
        f-fibroid|finding|子宫肌瘤|uterine fibroid|肌瘤|leiomyoma|a-uterus
        f-ovarian-cyst|finding|卵巢囊肿|ovarian cyst|||a-pelvis
        f-disc-herniation|finding|椎间盘突出|disc herniation|腰椎间盘突出|herniated disk|a-lspine
        f-spondylosis|finding|颈椎病|cervical spondylosis|||a-cspine
        f-compression-fracture|finding|椎体压缩骨折|vertebral compression fracture|||a-spine
        f-fracture|finding|骨折|fracture|||a-extremity
        f-meniscus|finding|半月板损伤|meniscal tear|半月板撕裂||a-knee
        f-acl|finding|前交叉韧带损伤|anterior cruciate ligament injury|韧带损伤|ACL tear|a-knee
        f-osteoarthritis|finding|骨关节炎|osteoarthritis|退行性关节病||a-extremity
        f-rotator-cuff|finding|肩袖损伤|rotator cuff tear|||a-shoulder
        f-femoral-necrosis|finding|股骨头坏死|osteonecrosis of the femoral head|||a-hip
        f-coronary-stenosis|finding|冠状动脉狭窄|coronary artery stenosis|冠脉狭窄|coronary stenosis|a-coronary
        f-calcification|finding|冠状动脉钙化|coronary calcification|钙化斑块||a-coronary
        f-aortic-dissection|finding|主动脉夹层|aortic dissection|||a-aorta
        f-cardiomegaly|finding|心脏增大|cardiomegaly|心影增大||a-heart
        f-breast-mass|finding|乳腺肿块|breast mass|乳腺占位||a-breast
        f-breast-cancer|finding|乳腺癌|breast cancer|||a-breast
        f-breast-calcification|finding|乳腺钙化|breast calcification|微钙化|microcalcification|a-breast
        f-fibroadenoma|finding|乳腺纤维腺瘤|fibroadenoma|||a-breast
        f-metastasis|finding|转移瘤|metastasis|转移灶|metastatic disease|a-wholebody
        f-lymphoma|finding|淋巴瘤|lymphoma|||a-wholebody
        f-lymphadenopathy|finding|淋巴结肿大|lymphadenopathy|||a-wholebody
        m-ct|modality|计算机断层扫描|computed tomography|CT检查|CT scan|
        m-mr|modality|磁共振成像|magnetic resonance imaging|核磁共振,磁共振|MRI|
        m-dx|modality|数字X线摄影|digital radiography|X线平片,DR|radiograph|
        m-us|modality|超声检查|ultrasonography|B超,彩超|ultrasound|
        m-mg|modality|乳腺X线摄影|mammography|钼靶|mammogram|
        m-pet|modality|正电子发射断层扫描|positron emission tomography|PET显像|PET|
        m-nm|modality|核医学显像|nuclear medicine imaging|同位素扫描,SPECT|scintigraphy|
        m-xa|modality|血管造影|angiography|DSA|digital subtraction angiography|
        p-contrast|procedure|增强扫描|contrast-enhanced scan|强化扫描|contrast enhancement|
        p-plain|procedure|平扫|non-contrast scan|普通扫描|plain scan|
        p-biopsy|procedure|穿刺活检|biopsy|活检||
        p-follow-up|procedure|随访复查|follow-up examination|复查|follow-up|
        p-screening|procedure|筛查|screening|体检筛查|screening examination|
        p-3d|procedure|三维重建|three-dimensional reconstruction|三维成像|3D reconstruction|
        p-lowdose|procedure|低剂量扫描|low-dose scan|低剂量CT|LDCT|
        """;

    public static IReadOnlyList<Concept> Concepts { get; } = [.. Table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse)];

    private static Concept Parse(string line)
    {
        var f = line.Split('|');
        string[] List(string s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new Concept
        {
            Id = "builtin:" + f[0], Kind = f[1], LabelZh = f[2], LabelEn = f[3], SynonymsZh = List(f[4]), SynonymsEn = List(f[5]),
            Broader = [.. List(f[6]).Select(b => "builtin:" + b)],
        };
    }
}
