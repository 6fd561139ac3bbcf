#!/usr/bin/env python3
# Prints the scipy figures that tests/test_insights.c pins for knead's statistics
# (src/insight/stats.c) on small fixed data. Rerun after changing the data there.
import numpy as np
from scipy import stats

x = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8]
y = [2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4, 5]
print("ranks x", list(stats.rankdata(x)))
r = stats.spearmanr(x, y)
print("spearman rho %.17g p %.17g" % (r.correlation, r.pvalue))

a = [6, 7, 5, 8, 7, 9, 6, 7]
b = [4, 5, 3, 5, 6, 4, 2, 5, 4, 3, 5]
w = stats.ttest_ind(a, b, equal_var=False)
va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
half = stats.t.ppf(0.975, df) * np.sqrt(va + vb)
diff = np.mean(a) - np.mean(b)
print("welch diff %.17g p %.17g ci %.17g %.17g" % (diff, w.pvalue, diff - half, diff + half))

c = [-1.5, -0.5, -2, 0.5, -1, -1.25, 0]
print("ttest_1samp p %.17g" % stats.ttest_1samp(c, 0).pvalue)
