"""Build-time telemetry configuration.

The source tree ships no key, so a build made from it sends nothing. The packaging step
overwrites this file with the real PostHog project key (or sets ``TELEMETRY_COMPILED_OUT``
for builds that must never contain telemetry). Keep it to these three plain assignments.
"""

POSTHOG_KEY = ""
POSTHOG_HOST = ""
TELEMETRY_COMPILED_OUT = False
