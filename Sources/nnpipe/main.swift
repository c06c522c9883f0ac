import NNCommandLine

CommandLineTool().exit()
