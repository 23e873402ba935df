"""Keras' engine as shapelint models it: layers, symbolic tensors, nodes,
Input, functional Model, Sequential and subclassed models.

This file is run by shapelint's interpreter (never by Python): it is Keras 2.x
semantics written against the `_shapelint` intrinsics, which compare symbolic
sizes three ways and report findings at the user's line. A shape is a tuple,
batch first; an unknown size (Keras' None) is a symbol: the batch is `B`.
"""
import _shapelint as _sl

_uids = {}
_data_format = ["channels_last"]
_visit = [0]


def unique_name(base, zero_based=True):
    n = _uids.get(base, 0)
    _uids[base] = n + 1
    if zero_based:
        return base if n == 0 else base + "_" + str(n)
    return base + "_" + str(n + 1)


def reset_uids():
    _uids.clear()


def image_data_format():
    return _data_format[0]


def set_image_data_format(fmt):
    _data_format[0] = fmt


def norm_tuple(value, n):
    if isinstance(value, (tuple, list)):
        return tuple(value)
    return tuple([value] * n)


def norm_padding(value):
    return value.lower() if isinstance(value, str) else value


def base_kwargs(kwargs):
    """The keyword arguments every layer passes to Layer.__init__; the others
    (initializers, regularizers, constraints) are accepted and ignored."""
    out = {}
    for k in ("trainable", "name", "dtype", "input_shape", "batch_input_shape", "batch_size", "input_dim"):
        if k in kwargs:
            out[k] = kwargs[k]
    return out


def dim_or_fresh(d):
    return _sl.fresh() if d is None else d


class KerasTensor:
    def __init__(self, shape, dtype="float32", history=None):
        self.shape = tuple(shape)
        self.dtype = dtype
        self._keras_history = history

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        return "<KerasTensor shape=" + str(self.shape) + ">"

    # Arithmetic on symbolic tensors (in Lambda functions and call methods):
    # elementwise with broadcasting; a size mismatch is left to the layers.
    def _binary(self, other):
        if isinstance(other, UnknownTensor) or isinstance(self, UnknownTensor):
            return UnknownTensor()
        if not isinstance(other, KerasTensor):
            return KerasTensor(self.shape, self.dtype)
        a = self.shape
        b = other.shape
        if len(b) > len(a):
            a, b = b, a
        out = list(a)
        off = len(a) - len(b)
        for i in range(len(b)):
            if _sl.same(out[off + i], 1):
                out[off + i] = b[i]
        return KerasTensor(tuple(out), self.dtype)

    def __add__(self, other):
        return self._binary(other)

    def __radd__(self, other):
        return self._binary(other)

    def __sub__(self, other):
        return self._binary(other)

    def __rsub__(self, other):
        return self._binary(other)

    def __mul__(self, other):
        return self._binary(other)

    def __rmul__(self, other):
        return self._binary(other)

    def __truediv__(self, other):
        return self._binary(other)

    def __neg__(self):
        return KerasTensor(self.shape, self.dtype)

    def __getitem__(self, index):
        if isinstance(self, UnknownTensor):
            return UnknownTensor()
        items = index if isinstance(index, tuple) else (index,)
        out = []
        i = 0
        for it in items:
            if isinstance(it, slice):
                if it.start is None and it.stop is None and it.step is None:
                    out.append(self.shape[i])
                else:
                    return UnknownTensor()
            elif it is None:
                out.append(1)
                continue
            i = i + 1
        out.extend(self.shape[i:])
        return KerasTensor(tuple(out), self.dtype)


class UnknownTensor(KerasTensor):
    """A tensor whose shape the analysis does not know (after an unmodeled op)."""

    def __init__(self, history=None):
        KerasTensor.__init__(self, (), "float32", history)


def is_tensor(x):
    return isinstance(x, KerasTensor)


def flatten(x):
    if _sl.is_unknown(x):
        return [x]
    if isinstance(x, (list, tuple)):
        out = []
        for item in x:
            out.extend(flatten(item))
        return out
    if isinstance(x, dict):
        out = []
        for k in x:
            out.extend(flatten(x[k]))
        return out
    return [x]


def shapes_of(x):
    if _sl.is_unknown(x):
        return None
    if isinstance(x, (list, tuple)):
        return [shapes_of(item) for item in x]
    if isinstance(x, KerasTensor):
        return x.shape
    return None


def any_unknown(x):
    for t in flatten(x):
        if _sl.is_unknown(t) or not isinstance(t, KerasTensor) or isinstance(t, UnknownTensor):
            return True
    return False


def num_elements(shape):
    n = 1
    for d in shape:
        n = n * d
    return n


class Layer:
    """Base of every layer: naming, weights, the call protocol and nodes."""

    def __init__(self, trainable=True, name=None, dtype=None, input_shape=None, batch_input_shape=None,
                 batch_size=None, input_dim=None, dynamic=False, **kwargs):
        if name is None:
            name = unique_name(_sl.snake_case(self.__class__.__name__))
        self.name = name
        self.trainable = trainable
        self.built = False
        self._site = _sl.here()
        self._weights = []
        self._inbound_nodes = []
        self._input_shapes = None
        self._output_shapes = None
        self._config = {}
        if input_dim is not None and input_shape is None:
            input_shape = (input_dim,)
        if batch_input_shape is None and input_shape is not None:
            batch_input_shape = (batch_size,) + tuple(input_shape)
        self._batch_input_shape = batch_input_shape

    # Weights: (name, shape, trainable)
    def add_weight(self, name=None, shape=None, trainable=True, **kwargs):
        self._weights.append((name, tuple(shape), trainable))
        return None

    def _all_weights(self):
        # Own weights, then those of layers a custom Layer holds as attributes.
        out = [(w[0], w[1], w[2] and self.trainable) for w in self._weights]
        if _sl.is_bundled(self):
            return out  # Keras' own wrappers copy their inner layer's weights
        for name, value in _sl.attrs(self):
            if isinstance(value, Layer) and value is not self:
                for w in value._all_weights():
                    out.append((w[0], w[1], w[2] and self.trainable))
        return out

    def count_params(self):
        n = 0
        for w in self._all_weights():
            n = n + num_elements(w[1])
        return n

    def _param_counts(self):
        t = 0
        nt = 0
        for w in self._all_weights():
            if w[2]:
                t = t + num_elements(w[1])
            else:
                nt = nt + num_elements(w[1])
        return t, nt

    def build(self, input_shape):
        self.built = True

    def compute_output_shape(self, input_shape):
        return input_shape

    def output_dtype(self, inputs):
        return "float32"

    def call(self, inputs, *args, **kwargs):
        shape = self.compute_output_shape(shapes_of(inputs))
        return _tensors_for(shape, self.output_dtype(inputs))

    def __call__(self, inputs, *args, **kwargs):
        if any_unknown(inputs) and not self._runs_user_call():
            out = UnknownTensor()
            out._keras_history = (self, len(self._inbound_nodes), 0)
            self._inbound_nodes.append([t._keras_history for t in flatten(inputs) if isinstance(t, KerasTensor)])
            return out
        if not self.built:
            self._check_declared_input(inputs)
            self._building_in_call = True
            self.build(shapes_of(inputs))
            self._building_in_call = False
            self.built = True
        if "training" not in kwargs and _sl.accepts(self.call, "training"):
            # Keras passes the learning phase; unknown here, so user code
            # that branches on it is analyzed both ways.
            kwargs["training"] = _sl.unknown_bool()
        out = self.call(inputs, *args, **kwargs)
        node_index = len(self._inbound_nodes)
        self._inbound_nodes.append([t._keras_history for t in flatten(inputs)])
        outs = []
        i = 0
        for t in flatten(out):
            if isinstance(t, KerasTensor):
                fresh = UnknownTensor() if isinstance(t, UnknownTensor) else KerasTensor(t.shape, t.dtype)
                fresh._keras_history = (self, node_index, i)
                outs.append(fresh)
            else:
                outs.append(t)
            i = i + 1
        self._input_shapes = shapes_of(inputs)
        self._output_shapes = [t.shape if isinstance(t, KerasTensor) else None for t in outs]
        return _restructure(out, outs)

    def _runs_user_call(self):
        # A subclassed Model/Layer's call is user code: it runs even on an
        # unknown input, so its layers are reached (and nothing reported).
        return not _sl.is_bundled(self)

    def _check_declared_input(self, inputs):
        declared = self._batch_input_shape
        if declared is None or not isinstance(inputs, KerasTensor):
            return
        got = inputs.shape
        if len(declared) != len(got):
            _sl.fail("shape", self, "input rank", len(declared), len(got),
                     "declared input shape " + str(tuple(declared)) + ", received " + str(got))
            return
        for i in range(1, len(declared)):
            if declared[i] is not None:
                _sl.check_equal(self, "input dimension " + str(i), declared[i], got[i],
                                "declared input shape " + str(tuple(declared)))

    def class_name(self):
        return self.__class__.__name__

    def get_config(self):
        config = {"name": self.name, "trainable": self.trainable}
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = tuple(self._batch_input_shape)
        config.update(self._config)
        return config

    @property
    def weights(self):
        return self._weights

    @property
    def output_shape(self):
        if self._output_shapes is None:
            return None
        return self._output_shapes[0] if len(self._output_shapes) == 1 else self._output_shapes


def _tensors_for(shape, dtype):
    if isinstance(shape, list):
        return [_tensors_for(s, dtype) for s in shape]
    if shape is None:
        return UnknownTensor()
    return KerasTensor(shape, dtype)


def _restructure(template, flat):
    if isinstance(template, (list, tuple)):
        out = []
        for i in range(len(template)):
            out.append(flat[i] if i < len(flat) else None)
        return tuple(out) if isinstance(template, tuple) else out
    return flat[0] if flat else None


class InputLayer(Layer):
    def __init__(self, input_shape=None, batch_size=None, dtype=None, name=None, batch_input_shape=None, **kwargs):
        if name is None:
            name = unique_name("input", zero_based=False)
        Layer.__init__(self, name=name)
        if batch_input_shape is None:
            batch_input_shape = (batch_size,) + tuple(input_shape if input_shape is not None else ())
        shape = []
        for i in range(len(batch_input_shape)):
            d = batch_input_shape[i]
            if d is None:
                d = _sl.symbol("B") if i == 0 else _sl.fresh()
            shape.append(d)
        self.built = True
        self._dtype = dtype if dtype is not None else "float32"
        self.output = KerasTensor(tuple(shape), self._dtype, (self, 0, 0))
        self._inbound_nodes.append([])
        self._input_shapes = tuple(shape)
        self._output_shapes = [tuple(shape)]
        self._config = {"batch_input_shape": batch_input_shape, "dtype": self._dtype}


def Input(shape=None, batch_size=None, name=None, dtype=None, sparse=False, tensor=None, ragged=False,
          batch_shape=None, **kwargs):
    if tensor is not None and isinstance(tensor, KerasTensor):
        return tensor
    if batch_shape is not None:
        layer = InputLayer(batch_input_shape=tuple(batch_shape), name=name, dtype=dtype)
    else:
        layer = InputLayer(input_shape=shape, batch_size=batch_size, name=name, dtype=dtype)
    return layer.output


def _layers_of_graph(outputs):
    """Model.layers of a functional graph, in Keras' order: decreasing depth
    from the outputs, ties by first visit (functional.py _map_graph_network)."""
    _visit[0] = _visit[0] + 1
    mark = _visit[0]
    order = []        # nodes in decreasing depth (DFS post-order): (layer, node_index)
    layer_index = {}  # layer name -> first-visit index
    layers_by_name = {}

    # Iterative depth-first search (graphs of a thousand layers are deeper
    # than any call-depth budget): first visits number the layers, finished
    # nodes are appended in post-order.
    stack = []
    for t in reversed(flatten(outputs)):
        if isinstance(t, KerasTensor) and t._keras_history is not None:
            stack.append((t._keras_history, False))
    while stack:
        item = stack.pop()
        layer = item[0][0]
        node_index = item[0][1]
        key = layer.name + "#" + str(node_index)
        if item[1]:
            order.append((layer, node_index))
            continue
        if getattr(layer, "_mark", 0) != mark:
            layer._mark = mark
            layer._visited = {}
        if key in layer._visited:
            continue
        layer._visited[key] = True
        if layer.name not in layer_index:
            layer_index[layer.name] = len(layer_index)
            layers_by_name[layer.name] = layer
        stack.append((item[0], True))
        parents = layer._inbound_nodes[node_index]
        for i in range(len(parents) - 1, -1, -1):
            if parents[i] is not None:
                stack.append((parents[i], False))

    node_depth = {}
    layer_depth = {}
    for i in range(len(order) - 1, -1, -1):
        layer = order[i][0]
        key = layer.name + "#" + str(order[i][1])
        depth = node_depth.get(key, 0)
        depth = max(depth, layer_depth.get(layer.name, 0))
        layer_depth[layer.name] = depth
        node_depth[key] = depth
        for h in layer._inbound_nodes[order[i][1]]:
            if h is not None:
                pkey = h[0].name + "#" + str(h[1])
                node_depth[pkey] = max(depth + 1, node_depth.get(pkey, 0))
    by_depth = {}
    for name in layer_index:
        d = layer_depth.get(name, 0)
        if d not in by_depth:
            by_depth[d] = []
        by_depth[d].append(name)
    out = []
    for d in sorted(by_depth.keys(), reverse=True):
        names = sorted(by_depth[d], key=lambda n: layer_index[n])
        for n in names:
            out.append(layers_by_name[n])
    # Nodes per depth, for summary's "sequential-like" test.
    nodes_per_depth = {}
    for key in node_depth:
        d = node_depth[key]
        nodes_per_depth[d] = nodes_per_depth.get(d, 0) + 1
    return out, nodes_per_depth


class Model(Layer):
    """Functional (Model(inputs, outputs)) or subclassed (call defined)."""

    def __init__(self, *args, **kwargs):
        inputs = kwargs.pop("inputs", None)
        outputs = kwargs.pop("outputs", None)
        if len(args) >= 2:
            inputs = args[0]
            outputs = args[1]
        elif len(args) == 1:
            inputs = args[0]
        name = kwargs.pop("name", None)
        if name is None:
            name = unique_name("model" if inputs is not None else _sl.snake_case(self.__class__.__name__))
        Layer.__init__(self, name=name, **kwargs)
        self._is_graph_network = inputs is not None and outputs is not None
        self._layers = []
        if self._is_graph_network:
            self.inputs = flatten(inputs)
            self.outputs = flatten(outputs)
            self._nested_outputs = outputs
            graph = _layers_of_graph(outputs)
            self._layers = graph[0]
            self._nodes_per_depth = graph[1]
            # Node 0 is the model's own graph (Keras makes it when the model
            # is built); calling the model later makes node 1, 2, ...
            self._inbound_nodes.append([])
            self.built = True
            self._input_shapes = shapes_of(inputs)
            self._output_shapes = [t.shape if isinstance(t, KerasTensor) else None for t in self.outputs]

    @property
    def layers(self):
        if self._is_graph_network:
            return self._layers
        return _tracked_layers(self)

    def class_name(self):
        # tf.keras >= 2.3 names a Model(inputs, outputs) "Functional".
        if self._is_graph_network and self.__class__ is Model:
            return "Functional"
        return self.__class__.__name__

    def _all_weights(self):
        out = []
        for layer in self.layers:
            for w in layer._all_weights():
                out.append((w[0], w[1], w[2] and self.trainable))
        return out

    def call(self, inputs, *args, **kwargs):
        if self._is_graph_network:
            return _run_graph(self, inputs)
        return _sl.unknown(self.__class__.__name__ + ".call")

    def __call__(self, inputs, *args, **kwargs):
        out = Layer.__call__(self, inputs, *args, **kwargs)
        if not self._is_graph_network:
            _report_unused(self)
        return out

    # Training/inference API: no effect on shapes.
    def compile(self, *args, **kwargs):
        return None

    def summary(self, *args, **kwargs):
        return None

    def fit(self, *args, **kwargs):
        return _sl.unknown("keras.Model.fit")

    def predict(self, x, *args, **kwargs):
        return self(x) if isinstance(x, KerasTensor) else _sl.unknown("keras.Model.predict")

    def evaluate(self, *args, **kwargs):
        return _sl.unknown("keras.Model.evaluate")

    def load_weights(self, *args, **kwargs):
        return None

    def save(self, *args, **kwargs):
        return None

    def build(self, input_shape):
        # model.build(shape) called by the user runs the model on that input;
        # the build inside the first call only marks it built.
        if getattr(self, "_building_in_call", False):
            self.built = True
            return
        if not self._is_graph_network and input_shape is not None and not self.built:
            self.built = True
            if isinstance(input_shape, tuple):
                shape = tuple([_sl.symbol("B") if d is None and i == 0 else dim_or_fresh(d)
                               for i, d in enumerate(input_shape)])
                self(KerasTensor(shape))
        self.built = True

    def get_layer(self, name=None, index=None):
        layers = self.layers
        if index is not None:
            return layers[index]
        for layer in layers:
            if layer.name == name:
                return layer
        return None


def _run_graph(model, inputs):
    # Calling a functional model on new tensors: the graph's shapes do not
    # change with the same input shapes; outputs keep the recorded shapes.
    outs = [KerasTensor(t.shape, t.dtype) for t in model.outputs]
    return outs[0] if len(outs) == 1 else outs


def _tracked_layers(model):
    out = []
    for name, value in _sl.attrs(model):
        if isinstance(value, Layer):
            out.append(value)
        elif isinstance(value, (list, tuple)):
            for v in value:
                if isinstance(v, Layer):
                    out.append(v)
    return out


def _report_unused(model):
    for name, value in _sl.attrs(model):
        if isinstance(value, Layer) and not isinstance(value, InputLayer):
            _sl.member(value, model.__class__.__name__, name, len(value._inbound_nodes) > 0)


class Sequential(Model):
    def __init__(self, layers=None, name=None, **kwargs):
        if name is None:
            name = unique_name("sequential")
        Model.__init__(self, name=name)
        self._is_graph_network = False
        self._seq_layers = []
        self._input_tensor = None
        self._output_tensor = None
        if layers is not None:
            for layer in layers:
                self.add(layer)

    @property
    def layers(self):
        return list(self._seq_layers)

    def add(self, layer):
        if isinstance(layer, KerasTensor):
            # Sequential([Input(...), ...]): the input fixes the shape.
            self._input_tensor = layer
            self._output_tensor = layer
            return None
        if isinstance(layer, InputLayer):
            self._input_tensor = layer.output
            self._output_tensor = layer.output
            return None
        self._seq_layers.append(layer)
        if self._output_tensor is None and getattr(layer, "_batch_input_shape", None) is not None:
            bshape = layer._batch_input_shape
            self._input_tensor = InputLayer(batch_input_shape=bshape, name=layer.name + "_input").output
            self._output_tensor = self._input_tensor
        if self._output_tensor is not None:
            self._output_tensor = layer(self._output_tensor)
            self.built = True
            self._input_shapes = self._input_tensor.shape
            self._output_shapes = [self._output_tensor.shape if isinstance(self._output_tensor, KerasTensor) else None]
        return None

    def pop(self):
        if self._seq_layers:
            self._seq_layers.pop()
        return None

    def call(self, inputs, *args, **kwargs):
        x = inputs
        for layer in self._seq_layers:
            x = layer(x)
        return x

    def build(self, input_shape=None):
        if getattr(self, "_building_in_call", False):
            self.built = True
            return
        if input_shape is not None and self._input_tensor is None:
            shape = tuple([_sl.symbol("B") if d is None and i == 0 else dim_or_fresh(d)
                           for i, d in enumerate(input_shape)])
            self._input_tensor = KerasTensor(shape, "float32", None)
            self._output_tensor = self.call(self._input_tensor)
            self._input_shapes = shape
            self._output_shapes = [self._output_tensor.shape if isinstance(self._output_tensor, KerasTensor) else None]
        self.built = True

    def __call__(self, inputs, *args, **kwargs):
        return Layer.__call__(self, inputs, *args, **kwargs)
