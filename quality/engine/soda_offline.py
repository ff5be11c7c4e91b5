"""Keep Soda Core from phoning home.

Soda Core 3.x sends anonymous usage statistics (OpenTelemetry spans to
Soda's collector) unless its global config says otherwise, and it creates
that config with the statistics switched ON in ``~/.soda/config.yml`` the
first time ``soda.scan`` is imported. :func:`prepare_soda_offline` must run
before that import; every Atlas entry point into Soda goes through it.

What it does, and why each step:

* ``OTEL_SDK_DISABLED=true``: the OpenTelemetry SDK then hands out no-op
  tracers, so even a tracer provider set up by someone else exports nothing.
* Soda's global config is pointed at an Atlas-owned file holding
  ``send_anonymous_usage_stats: false`` (``ATLAS_SODA_CONFIG_DIR``, else
  ``$ATLAS_DATA_DIR/soda``, else a per-user temp directory), so Soda never
  writes to the home directory and never sets up its exporter.
* If Soda was imported before us anyway, the loaded config and telemetry
  singletons are switched off in place.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

_CONFIG_TEXT = "send_anonymous_usage_stats: false\nuser_cookie_id: atlas-offline\n"
_prepared = False


def soda_config_dir() -> Path:
    """Where Atlas keeps Soda's global config file."""
    explicit = os.environ.get("ATLAS_SODA_CONFIG_DIR")
    if explicit:
        return Path(explicit)
    data_dir = os.environ.get("ATLAS_DATA_DIR")
    if data_dir:
        return Path(data_dir) / "soda"
    return Path(tempfile.gettempdir()) / f"atlas-soda-{os.getuid()}"


def _write_config(directory: Path) -> Path:
    path = directory / "config.yml"
    directory.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text() != _CONFIG_TEXT:
        path.write_text(_CONFIG_TEXT)
    return path


def prepare_soda_offline() -> None:
    """Disable Soda's telemetry before (or, failing that, right after) it loads. Idempotent."""
    global _prepared
    os.environ["OTEL_SDK_DISABLED"] = "true"
    if _prepared:
        return
    try:
        path = _write_config(soda_config_dir())
    except OSError:
        path = _write_config(Path(tempfile.mkdtemp(prefix="atlas-soda-")))

    from soda.common.config_helper import ConfigHelper

    helper = ConfigHelper.get_instance(str(path))
    # get_instance ignores the path when Soda was loaded earlier; the dict it
    # returns is the live config, so switching the flag here still counts.
    helper.config["send_anonymous_usage_stats"] = False

    from soda.telemetry.soda_telemetry import SodaTelemetry

    telemetry = SodaTelemetry.get_instance()
    if getattr(telemetry, "_SodaTelemetry__send", False):
        log.warning("Soda telemetry was initialised before Atlas could disable it; switching it off now")
        telemetry._SodaTelemetry__send = False
    _prepared = True


def telemetry_enabled() -> bool:
    """Whether Soda would send usage statistics (for tests and health checks)."""
    from soda.common.config_helper import ConfigHelper
    from soda.telemetry.soda_telemetry import SodaTelemetry

    telemetry = SodaTelemetry.get_instance()
    return bool(
        ConfigHelper.get_instance().send_anonymous_usage_stats
        or getattr(telemetry, "_SodaTelemetry__send", False)
    )
