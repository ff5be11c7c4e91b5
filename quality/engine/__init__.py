"""Atlas's quality engine: pure Python and SQL, no Django.

``measure`` scores one run of a chart table on six dimensions; ``soda``
validates and runs SodaCL checks with Soda Core; ``history`` flags metrics
that leave their usual range across runs.
"""

from .dimensions import measure
from .result import DimensionResult, QualityResult
from .spec import (
    DIMENSIONS,
    ColumnSpec,
    CrossFieldRule,
    QualityConfig,
    QualityConfigError,
)

__all__ = [
    "DIMENSIONS",
    "ColumnSpec",
    "CrossFieldRule",
    "DimensionResult",
    "QualityConfig",
    "QualityConfigError",
    "QualityResult",
    "measure",
]
