#!/bin/bash
# run.sh LABEL TX : each candidate's mix (6 shapes, equal weight), one client; p50/p95/p99 in ms from pgbench's per-transaction log
label=$1; tx=$2
export PGPASSWORD=medcat-dev
for cand in tsv trgm ilike; do
  t=$tx; [ $cand != tsv ] && t=$(( tx / 4 > 6 ? tx / 4 : 6 ))
  rm -f log_${label}_${cand}*
  args=""; for f in q_${cand}_*.sql; do args="$args -f $f@1"; done
  pgbench -h 127.0.0.1 -p 55432 -U medcat -n -c 1 -t $t $args -l --log-prefix=log_${label}_${cand} ${DB:-dirsearch_bench} >/dev/null 2>pgbench_err.txt || cat pgbench_err.txt
  python3 - "$label" "$cand" log_${label}_${cand}* <<'PY'
import sys, statistics
lat=[]; per={}
for f in sys.argv[3:]:
    for line in open(f):
        p=line.split(); ms=int(p[2])/1000; lat.append(ms); per.setdefault(p[3],[]).append(ms)
lat.sort(); q=lambda a,x: a[min(len(a)-1,int(round(x*(len(a)-1))))]
print(f"{sys.argv[1]:6} {sys.argv[2]:6} n={len(lat):4} p50={q(lat,.5):8.1f} p95={q(lat,.95):8.1f} p99={q(lat,.99):8.1f} ms; per script median:", " ".join(f"{k}:{statistics.median(v):.1f}" for k,v in sorted(per.items())))
PY
done
ls q_tsv_*.sql | cat -n | tr '\n' ' '; echo
