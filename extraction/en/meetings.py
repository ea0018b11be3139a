def find_meetings(ctx):
    return []
