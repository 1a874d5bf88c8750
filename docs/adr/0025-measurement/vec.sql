create or replace function bench.vec(t text, w text, base int) returns text language plpgsql immutable as $$
declare s text := lower(coalesce(t, '')); o text[] := '{}'; pos int := base; i int := 1; n int := length(s); c text; word text := '';
begin
  while i <= n loop
    c := substr(s, i, 1);
    if c ~ '[一-鿿]' then
      if word <> '' then pos := pos + 1; o := o || ('''' || word || ''':' || pos || w); word := ''; end if;
      pos := pos + 1; o := o || ('''' || c || ''':' || pos || w);
      if i < n and substr(s, i + 1, 1) ~ '[一-鿿]' then o := o || ('''' || substr(s, i, 2) || ''':' || pos || w); end if;
    elsif c ~ '[a-z0-9]' then word := word || c;
    elsif word <> '' then pos := pos + 1; o := o || ('''' || word || ''':' || pos || w); word := '';
    end if;
    i := i + 1;
  end loop;
  if word <> '' then pos := pos + 1; o := o || ('''' || word || ''':' || pos || w); end if;
  return array_to_string(o, ' ');
end $$;
drop table if exists v;
create temp table v as select k, (bench.vec(title, 'A', 0) || ' ' || bench.vec(array_to_string(keywords, ' | '), 'B', 1000) || ' ' || bench.vec(abstract, 'C', 2000) || ' ' || bench.vec(institution_name, 'D', 8000))::tsvector sv
  from (select distinct on (k) * from bench.entries order by k) d;
update bench.entries e set search_vector = v.sv, search_text = lower(title || ' ' || array_to_string(keywords, ' ') || ' ' || coalesce(abstract, '') || ' ' || coalesce(institution_name, '')) from v where v.k = e.k;
