"""The wizard engine: reads wizard_steps/, decides what to show and validates answers."""
