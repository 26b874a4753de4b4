"""`python -m kpis ...`"""

import gc
import importlib
import sys

from kpis.bulk_memory import no_huge_pages, one_heap

# Every thread allocates from the C library's one heap (what one frees, another's next array
# takes: see `one_heap`), set before the commands' modules are imported: pyarrow starts a thread.
one_heap()
# Every command on ordinary pages (see `no_huge_pages`): `validate` of a million figures with
# long sources took 3.3-4.0 s on huge pages, 1.5-1.6 s without.
no_huge_pages()

from kpis.cli import COMMANDS, main  # noqa: E402

# The commands' modules (pandas, pyarrow, the plan's pydantic models) make tens of thousands
# of objects that live as long as the process, none in a cycle worth collecting: imported
# with the cyclic collector paused, then frozen out of its walks (re-enabled without that,
# it walks them all at the next allocation), every command starts ~20 ms sooner.
gc.disable()
for module in COMMANDS.values():
    importlib.import_module(module)
gc.freeze()
gc.enable()

code = main()
# The process ends here, and every object the command left goes with it: the cyclic
# collector's last walks over them as the interpreter shuts down (0.1-0.25 s after a
# national `status`, a tenth of a run at 1,020,000 figures) would find nothing worth it.
gc.freeze()
sys.exit(code)
