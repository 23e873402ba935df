"""What `shapelint extract` / `summary` print for a Keras model: the rows of
`model.summary()` (tf.keras 2.x print_summary layout) and the module entries
of unique_modules.json. Run by shapelint's interpreter (see engine.py)."""
import _shapelint as _sl
from keras.engine import Sequential, InputLayer, KerasTensor


def _keras_shape(shape):
    if shape is None:
        return "?"
    parts = [str(d) if _sl.is_const(d) else "None" for d in shape]
    if len(parts) == 1:
        return "(" + parts[0] + ",)"
    return "(" + ", ".join(parts) + ")"


def _output_shape_text(layer):
    shapes = layer._output_shapes
    if shapes is None or len(layer._inbound_nodes) == 0:
        return "multiple"
    if isinstance(layer, InputLayer):
        return "[" + _keras_shape(shapes[0]) + "]"
    if len(shapes) == 1:
        return _keras_shape(shapes[0])
    return "[" + ", ".join([_keras_shape(s) for s in shapes]) + "]"


def _commas(n):
    if not _sl.is_const(n):
        return str(n)
    s = str(n)
    out = ""
    while len(s) > 3:
        out = "," + s[len(s) - 3:] + out
        s = s[:len(s) - 3]
    return s + out


def _row(fields, positions):
    line = ""
    for i in range(len(fields)):
        if i > 0:
            line = line[:len(line) - 1] + " "
        line = line + str(fields[i])
        line = line[:positions[i]]
        line = line + " " * (positions[i] - len(line))
    return line


def _sequential_like(model, layers):
    if isinstance(model, Sequential) or not model._is_graph_network:
        return True
    # As print_summary: several nodes at one depth, or a node with several
    # inbound tensors, or a layer with several nodes in the model, is a graph.
    for d in model._nodes_per_depth:
        if model._nodes_per_depth[d] > 1:
            return False
    for layer in layers:
        nodes = [n for n in layer._inbound_nodes if n]
        if len(nodes) > 1:
            return False
        for n in nodes:
            if len(n) > 1:
                return False
    return True


def _connections(layer):
    out = []
    for node in layer._inbound_nodes:
        for h in node:
            if h is not None:
                out.append(h[0].name + "[" + str(h[1]) + "][" + str(h[2]) + "]")
    return out


def summary_lines(model):
    layers = model.layers
    seq = _sequential_like(model, layers)
    if seq:
        width = 65
        positions = [29, 55, 65]
        header = ["Layer (type)", "Output Shape", "Param #"]
    else:
        width = 98
        positions = [32, 53, 65, 98]
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
    lines = ['Model: "' + model.name + '"', "_" * width, _row(header, positions), "=" * width]
    for i in range(len(layers)):
        layer = layers[i]
        fields = [layer.name + " (" + layer.class_name() + ")", _output_shape_text(layer), layer.count_params()]
        if seq:
            lines.append(_row(fields, positions))
        else:
            conns = _connections(layer)
            fields.append(conns[0] if conns else "")
            lines.append(_row(fields, positions))
            for c in conns[1:]:
                lines.append(_row(["", "", "", c], positions))
        lines.append("=" * width if i == len(layers) - 1 else "_" * width)
    counts = model._param_counts()
    lines.append("Total params: " + _commas(counts[0] + counts[1]))
    lines.append("Trainable params: " + _commas(counts[0]))
    lines.append("Non-trainable params: " + _commas(counts[1]))
    lines.append("_" * width)
    return lines


def _config_value(v):
    if isinstance(v, tuple):
        return [_config_value(x) for x in v]
    if isinstance(v, list):
        return [_config_value(x) for x in v]
    return v


def _shapes(shapes, batch):
    out = []
    if shapes is None:
        return out
    if isinstance(shapes, tuple):
        shapes = [shapes]
    for s in shapes:
        if isinstance(s, list):
            out.extend(_shapes(s, batch))
        elif s is not None:
            out.append(_sl.shape_string(s, batch))
    return out


def module_entries(model, batch=None):
    """unique_modules.json entries before grouping: the model as "(root)",
    then every layer by its Keras name."""
    layers = model.layers
    entries = []
    counts = model._param_counts()
    root_in = model._input_shapes
    root_out = model._output_shapes
    entries.append({"class_name": model.class_name(),
                    "module_path": "(root)", "parent": None,
                    "input_shapes": _shapes(root_in, batch), "output_shapes": _shapes(root_out, batch),
                    "parameters": {}, "params": counts[0] + counts[1], "trainable": counts[0],
                    "non_trainable": counts[1]})
    for layer in layers:
        c = layer._param_counts()
        params = {}
        for k in layer._config:
            params[k] = _config_value(layer._config[k])
        entries.append({"class_name": layer.class_name(), "module_path": layer.name, "parent": "(root)",
                        "input_shapes": _shapes(layer._input_shapes, batch),
                        "output_shapes": _shapes(layer._output_shapes, batch),
                        "parameters": params, "params": c[0] + c[1], "trainable": c[0], "non_trainable": c[1],
                        "connected_to": _connections(layer)})
    return entries


def build_with(model, shape):
    """A subclassed model never called: call it on an input of `shape`."""
    if model.built and model._output_shapes is not None:
        return model
    model(KerasTensor(tuple(shape)))
    return model
