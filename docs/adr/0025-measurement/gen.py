# Writes one pgbench script per (candidate, query shape): count + 2 facets + one keyset page in one statement.
import itertools
VIS = "state = 'Published' and security_classification = any('{public,internal}')"
shapes = {
 # name: (groups [[alt tokens-phrase]], like patterns per group, filters, facets, sort, deep)
 'kw2_filters_deep': ([["结节"]], "modalities && '{CT}' and study_date between '2020-01-01' and '2023-12-31'", ('modality','institution'), 'relevance', True),
 'mixed_ct_lung_nodule': ([["ct"], ["肺结节"]], "true", ('category','securityClassification'), 'date', False),
 'or_group_lymphoma_cat': ([["淋巴瘤", "lymphoma"]], "category = '2'", ('modality','bodyPart'), 'title', True),
 'single_char_inst': ([["肺"]], "institution = 'H003'", ('modality','year'), 'relevance', False),
 'petct_lymphoma_deep': ([["pet-ct"], ["淋巴瘤"]], "security_classification = 'public'", ('modality','institution'), 'date', True),
 'broad_kw2_nofilter': ([["结节"]], "true", ('modality','institution'), 'relevance', True),
}
def toks(term):
    import re
    out = []
    for m in re.finditer(r'[\u4e00-\u9fff]+|[a-z0-9]+', term):
        w = m.group(0)
        if re.match(r'[\u4e00-\u9fff]', w):
            out += [w] if len(w) == 1 else [w[i:i+2] for i in range(len(w)-1)]
        else: out.append(w)
    return out
def tsq(term, weight=''):
    return ' <-> '.join(f"{t}{':'+weight if weight else ''}" for t in toks(term))
def group_q(g, weight=''):
    return ' | '.join(f"({tsq(a, weight)})" for a in g)
FACET = {'modality': 'select v, count(*) c from m, unnest(modalities) v group by v', 'bodyPart': 'select v, count(*) c from m, unnest(body_parts) v group by v',
 'institution': 'select institution v, count(*) c from m group by 1', 'category': 'select category v, count(*) c from m group by 1',
 'securityClassification': 'select security_classification v, count(*) c from m group by 1', 'year': "select extract(year from study_date)::text v, count(*) c from m group by 1"}
ORDER = {'relevance': ('score desc, origin_node, resource_id', "(score < 0.3 or (score = 0.3 and (origin_node, resource_id) > ('hebei', '00000000-0000-0000-0000-000000000000')))"),
         'date': ('published_at desc, origin_node, resource_id', "(published_at < timestamptz '2024-01-10' or (published_at = timestamptz '2024-01-10' and (origin_node, resource_id) > ('hebei', '00000000-0000-0000-0000-000000000000')))"),
         'title': ('title, origin_node, resource_id', "(title > '胸部' or (title = '胸部' and (origin_node, resource_id) > ('hebei', '00000000-0000-0000-0000-000000000000')))")}
def score_expr(groups, cand):
    parts = []
    for g in groups:
        if cand == 'tsv':
            parts.append("case " + " ".join(f"when search_vector @@ '{group_q(g, w)}'::tsquery then {s}" for w, s in (('A',1),('B',0.5),('C',0.25))) + " else 0.1 end")
        else:
            t = " or ".join(f"title ilike '%{a}%'" for a in g)
            parts.append(f"case when {t} then 1 else 0.25 end")
    return " + ".join(parts)
def match_expr(groups, cand):
    if cand == 'tsv':
        return f"search_vector @@ '{' & '.join('(' + group_q(g) + ')' for g in groups)}'::tsquery"
    if cand == 'trgm':
        return " and ".join("(" + " or ".join(f"search_text like '%{a}%'" for a in g) + ")" for g in groups)
    # the foundation's engine: ILIKE over each field
    return " and ".join("(" + " or ".join(f"(title ilike '%{a}%' or abstract ilike '%{a}%' or institution_name ilike '%{a}%' or exists (select 1 from unnest(keywords) k where k ilike '%{a}%'))" for a in g) + ")" for g in groups)
for cand, (name, (groups, filt, facets, sort, deep)) in itertools.product(['tsv', 'trgm', 'ilike'], shapes.items()):
    order, keyset = ORDER[sort]
    sql = f"""with m as materialized (select origin_node, resource_id, title, published_at, modalities, body_parts, institution, category, security_classification, study_date,
 {score_expr(groups, cand)} score from bench.entries where {VIS} and {filt} and {match_expr(groups, cand)})
select (select count(*) from m) total,
 (select json_agg(f) from ({FACET[facets[0]]} order by c desc, v) f) f1,
 (select json_agg(f) from ({FACET[facets[1]]} order by c desc, v) f) f2,
 (select json_agg(p) from (select origin_node, resource_id, score from m where {keyset if deep else 'true'} order by {order} limit 20) p) page;
"""
    open(f'q_{cand}_{name}.sql', 'w').write(sql.replace('\n', ' ') + '\n')
