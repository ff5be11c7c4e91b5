"""Keep tldextract (used by Presidio's email recognizer) off the network.

tldextract fetches the Public Suffix List on first use unless told not to.
Atlas machines may have no network at all, and a detector must never wait on
one, so the suffix list always comes from the snapshot bundled with the
package. Importing this module before anything imports tldextract also makes
the process-wide default extractor offline through the environment variable
``TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS`` (empty = no fetch).
"""
from __future__ import annotations

import os

# Must be set before tldextract builds its module-level default extractor.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

import tldextract  # noqa: E402
import tldextract.tldextract  # noqa: E402

OFFLINE_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


def ensure_offline() -> None:
    """Make the default extractor offline even if tldextract was imported first.

    Some other module may have imported tldextract before this one with the
    default URLs; its extractor has not fetched yet (that happens on first
    use), so clearing its URL list is enough.
    """
    default = tldextract.tldextract.TLD_EXTRACTOR
    if default.suffix_list_urls:
        default.suffix_list_urls = ()


def registered_domain(text: str) -> str:
    """The ``domain.suffix`` part of a host or address, '' when there is none."""
    return OFFLINE_EXTRACTOR(text).fqdn
