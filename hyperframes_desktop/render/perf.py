"""The perf summary a render returns (field names as in HyperFrames' perf summary)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: Stage keys, in pipeline order, as HyperFrames names them.
STAGE_KEYS = (
    "compileMs",
    "videoExtractMs",
    "audioProcessMs",
    "captureSetupMs",
    "captureFrameMs",
    "captureMs",
    "encodeMs",
    "assembleMs",
)


@dataclass
class VideoExtractBreakdown:
    resolveMs: float = 0.0
    extractMs: float = 0.0
    cacheHits: int = 0
    cacheMisses: int = 0
    framesExtracted: int = 0


@dataclass
class PerfSummary:
    """Everything a finished render knows about how it went.

    camelCase on purpose: these are HyperFrames' perf-summary names, which the telemetry
    mapping (``telemetry.perf_mapping``) turns into snake_case event properties.
    """

    renderId: str
    totalElapsedMs: float
    fps: float
    quality: str
    format: str
    workers: int
    compositionDurationSeconds: float
    totalFrames: int
    resolution: dict[str, int]
    compositionWidth: int
    compositionHeight: int
    videoCount: int = 0
    audioCount: int = 0
    stages: dict[str, float] = field(default_factory=dict)
    captureAvgMs: float = 0.0
    captureP50Ms: float = 0.0
    capturePeakMs: float = 0.0
    peakRssMb: float = 0.0  # summed RSS of the render tree (shared libraries counted per process)
    peakPssMb: float = 0.0  # summed PSS: shared pages split between processes
    memoryFreeMb: float = 0.0
    tmpPeakBytes: int = 0
    videoExtractBreakdown: VideoExtractBreakdown = field(default_factory=VideoExtractBreakdown)
    outputBytes: int = 0
    captureRestarts: int = 0  # capture processes that died and whose frames were re-captured
    farmChunks: int = 0  # a farm render: how many chunks it was split into (0: local)
    farmChunksReused: int = 0  # of those, taken from an interrupted run (--resume)
    farmWorkers: int = 0  # how many farm workers rendered chunks

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "speedRatio": round(self.speed_ratio, 4)}

    @property
    def speed_ratio(self) -> float:
        """Composition seconds rendered per wall second (0 when nothing was timed)."""
        if self.totalElapsedMs <= 0:
            return 0.0
        return self.compositionDurationSeconds * 1000.0 / self.totalElapsedMs
