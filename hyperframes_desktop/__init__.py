"""HyperFrames Desktop: a native studio and fast renderer for HyperFrames compositions."""

__version__ = "0.1.0"
APP_NAME = "hyperframes-desktop"
