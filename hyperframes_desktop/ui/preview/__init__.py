"""The preview dock: the web stage, its transport, playback and sound."""
