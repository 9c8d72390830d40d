"""The draft aggregate: its answers, needs, effect goals and requirements, stored and read.

No HTTP, no templates and no commit here: functions add and flush, and the caller's unit of
work (the request's session, or the command line) commits once."""
