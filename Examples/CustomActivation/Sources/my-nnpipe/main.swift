// my-nnpipe: nnpipe's command line with this package's activations registered.
// Every command works with them: run, check, list, gradcheck, predict, evaluate, bench.

import MyActivations
import NNCommandLine
import NNPipeline
import NNProtocols

var registry = ComponentRegistry.standard()  // every built-in component
try registry.registerMyActivations()  // plus scaled_tanh and gaussian
CommandLineTool(registry: registry).exit()
