"""The Qt studio: widgets only; the work is done by project/, render/ and telemetry/."""
