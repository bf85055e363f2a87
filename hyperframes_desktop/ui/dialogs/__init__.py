"""The studio's dialogs (all opened with open(), never exec(), so nothing blocks)."""
