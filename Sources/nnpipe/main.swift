print("nnpipe")
