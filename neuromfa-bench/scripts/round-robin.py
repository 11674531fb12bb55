#!/usr/bin/env python3
"""round-robin.py ROUNDS 'label=cmd' ...: runs the commands round-robin (so all see the same load),
prints per command the median / min wall time, median user+sys CPU and max RSS (from /usr/bin/time)."""
import sys, subprocess, statistics as st, tempfile, os, shlex
rounds = int(sys.argv[1]); cmds = [a.split('=', 1) for a in sys.argv[2:]]
res = {l: [] for l, _ in cmds}
for r in range(rounds):
    for label, cmd in cmds:
        f = tempfile.mktemp()
        subprocess.run(['/usr/bin/time', '-o', f, '-f', '%e %U %S %M'] + shlex.split(cmd),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        w, u, s, m = map(float, open(f).read().split()[-4:]); os.remove(f)
        res[label].append((w, u + s, m))
for label, _ in cmds:
    v = res[label]; w = [x[0] for x in v]; c = [x[1] for x in v]
    print("%-28s wall median %.2f s min %.2f | cpu median %.2f s min %.2f | max rss %d MB | n=%d"
          % (label, st.median(w), min(w), st.median(c), min(c), max(x[2] for x in v) / 1024, len(v)))
