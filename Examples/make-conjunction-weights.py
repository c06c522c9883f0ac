#!/usr/bin/env python3
"""Writes conjunction.safetensors: the hand-set weights of the second tutorial's perceptrons.

Only the standard library is needed. Weights are stored as nnpipe and torch.nn.Linear store them,
[outputs, inputs]: the tutorial's first matrix [[1, 0], [1, -1], [-1, 1]] maps [x1 x2 1] to [p1 p2],
so layers.0.weight is its transpose. The output unit's weights [1, 1] act on [p1 p2] and its bias is
the tutorial's weight of the constant 1, which is 0.
"""
import json
import os
import struct

tensors = {
    "layers.0.weight": ([2, 3], [1, 1, -1, 0, -1, 1]),
    "layers.1.weight": ([1, 2], [1, 1]),
    "layers.1.bias": ([1], [0]),
}
header, data = {}, b""
for name in sorted(tensors):
    shape, values = tensors[name]
    raw = struct.pack("<%dd" % len(values), *values)
    header[name] = {"dtype": "F64", "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
    data += raw
header["__metadata__"] = {"description": "hand-set perceptron weights of the second tutorial"}
text = json.dumps(header, separators=(",", ":")).encode()
text += b" " * (-len(text) % 8)
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "conjunction.safetensors")
with open(path, "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + data)
print("wrote", path)
