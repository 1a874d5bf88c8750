create extension if not exists pg_trgm;
drop schema if exists bench cascade; create schema bench;
create function bench.toks(t text) returns text[] language sql immutable parallel safe as $$
  select coalesce(array_agg(distinct tok), '{}') from (
    select substr(r, i, 2) tok from regexp_matches(lower(coalesce(t,'')), '[一-鿿]+', 'g') m(a), lateral (select a[1] r) x, generate_series(1, length(r)-1) i
    union all
    select substr(r, i, 1) from regexp_matches(lower(coalesce(t,'')), '[一-鿿]+', 'g') m(a), lateral (select a[1] r) x, generate_series(1, length(r)) i
    union all
    select a[1] from regexp_matches(lower(coalesce(t,'')), '[a-z0-9]+', 'g') m(a)) s $$;
create function bench.wvec(a text[], w text) returns tsvector language sql immutable parallel safe as $$
  select coalesce(string_agg('''' || replace(x, '''', '''''') || ''':' || n || w, ' '), '')::tsvector from unnest(a) with ordinality u(x, n) $$;
create table bench.entries (
  k int not null,  origin_node text not null, resource_id uuid not null, state text not null default 'Published', kind text not null,
  title text not null, abstract text, keywords text[] not null, security_classification text, institution text, institution_name text,
  classification_code text, category text, subcategory text, modalities text[] not null, body_parts text[] not null,
  study_date date, published_at timestamptz not null, search_vector tsvector, search_text text,
  primary key (origin_node, resource_id));
