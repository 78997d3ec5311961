"""Every test run keeps kbuild's header cache in a folder of its own, never
the user's ~/.cache."""
from __future__ import annotations

import os
import tempfile

os.environ["KMODGUI_CACHE_DIR"] = tempfile.mkdtemp(prefix="kmodgui-test-cache-")
