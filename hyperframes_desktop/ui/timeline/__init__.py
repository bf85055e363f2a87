"""The studio's timeline dock: a painted canvas of tracks and clips, an inspector, and the
controller that turns the user's gestures into the timeline model's edits."""
