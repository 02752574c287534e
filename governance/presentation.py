def describe_meeting_type(t):
    raise RuntimeError
