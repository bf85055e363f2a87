"""The capture worker: a child process that loads a compiled page in QtWebEngine (offscreen)
and streams exact frames into an FFmpeg pipe. Only this subpackage imports Qt widgets; it
runs in its own process so a hung or crashed page never takes the caller down.
"""
