"""`python -m kpis ...`"""

import gc
import sys

from kpis.cli import main

code = main()
# The process ends here, and every object the command left goes with it: the cyclic
# collector's last walks over them as the interpreter shuts down (0.1-0.25 s after a
# national `status`, a tenth of a run at 1,020,000 figures) would find nothing worth it.
gc.freeze()
sys.exit(code)
