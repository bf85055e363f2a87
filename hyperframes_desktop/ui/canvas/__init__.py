"""Selecting and moving a composition's elements on the preview's stage."""
