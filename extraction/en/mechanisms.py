def find_mechanisms(ctx):
    return []
