"""Keras layers: constructor config, build (weights), compute_output_shape.
Run by shapelint's interpreter (see engine.py). A layer not defined here is an
unknown value with an info note (module __getattr__ below)."""
import _shapelint as _sl
from keras.engine import (base_kwargs, Layer, InputLayer, Input, KerasTensor, UnknownTensor, image_data_format, norm_tuple,
                          norm_padding, num_elements, flatten)


def conv_output_length(length, filter_size, padding, stride, dilation=1):
    dilated = filter_size + (filter_size - 1) * (dilation - 1)
    if padding == "same" or padding == "causal":
        out = length
    elif padding == "valid":
        out = length - dilated + 1
    elif padding == "full":
        out = length + dilated - 1
    else:
        return _sl.fresh()
    return (out + stride - 1) // stride


def deconv_output_length(length, filter_size, padding, output_padding=None, stride=0, dilation=1):
    filter_size = filter_size + (filter_size - 1) * (dilation - 1)
    if output_padding is None:
        if padding == "valid":
            return length * stride + max(filter_size - stride, 0)
        if padding == "full":
            return length * stride - (stride + filter_size - 2)
        return length * stride
    if padding == "same":
        pad = filter_size // 2
    elif padding == "valid":
        pad = 0
    else:
        pad = filter_size - 1
    return (length - 1) * stride + filter_size - 2 * pad + output_padding


def _data_format(value):
    return value if value is not None else image_data_format()


def _check_positive(layer, shape, what):
    for i in range(1, len(shape)):
        d = shape[i]
        if _sl.is_const(d) and d <= 0:
            _sl.fail("shape", layer, what, "a positive size", d,
                     "the window is larger than its input: output shape " + str(shape))
            return False
    return True


def _check_windows(layer, what, spatial, out, windows, dilations, input_shape):
    """A spatial output size <= 0: the (dilated) window is larger than the
    input (TensorFlow: "Negative dimension size caused by subtracting k from
    L"; Keras >= 2.7: "One of the dimensions in the output is <= 0")."""
    for i in range(len(out)):
        d = out[i]
        if _sl.is_const(d) and d <= 0:
            k = windows[i]
            dil = dilations[i]
            window = str(k) if dil == 1 else str(k) + ", dilation " + str(dil)
            _sl.fail("shape", layer, what, k + (k - 1) * (dil - 1), spatial[i],
                     "the window (" + window + ") is larger than the input (" + str(spatial[i]) +
                     ") on spatial axis " + str(i + 1) + "; input shape " + str(input_shape))
            return False
    return True


def _check_rank(layer, shape, rank, what="input rank"):
    if len(shape) != rank:
        _sl.fail("shape", layer, what, rank, len(shape), "input shape " + str(shape))
        return False
    return True


def _set_spec(layer, axis, dim, ndim=None, min_ndim=None):
    """What Keras' build leaves in layer.input_spec: the size of the axis the
    weights were made for (InputSpec(ndim|min_ndim, axes={axis: dim}))."""
    layer._spec = (axis, dim, ndim, min_ndim)


def _check_spec(layer, s):
    """assert_input_compatibility on a call after the build (a layer called
    again, shared, or inside a model called on new inputs)."""
    spec = getattr(layer, "_spec", None)
    if spec is None:
        return True
    axis = spec[0]
    if spec[2] is not None and len(s) != spec[2]:
        _sl.fail("shape", layer, "input rank", spec[2], len(s), "input shape " + str(s))
        return False
    if spec[3] is not None and len(s) < spec[3]:
        _sl.fail("shape", layer, "input rank", "at least " + str(spec[3]), len(s), "input shape " + str(s))
        return False
    return _sl.check_equal(layer, "input dimension " + str(axis), spec[1], s[axis],
                           "its weights were built for " + str(spec[1]) + " on axis " + str(axis) +
                           "; input shape " + str(s))


class _Conv(Layer):
    rank = 2

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 groups=1, activation=None, use_bias=True, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self.filters = filters
        self.kernel_size = norm_tuple(kernel_size, self.rank)
        self.strides = norm_tuple(strides, self.rank)
        self.padding = norm_padding(padding)
        self.data_format = _data_format(data_format)
        self.dilation_rate = norm_tuple(dilation_rate, self.rank)
        self.groups = groups
        self.activation = _act_name(activation)
        self.use_bias = use_bias
        self._config = {"filters": filters, "kernel_size": self.kernel_size, "strides": self.strides,
                        "padding": self.padding, "data_format": self.data_format,
                        "dilation_rate": self.dilation_rate, "groups": groups, "activation": self.activation,
                        "use_bias": use_bias}

    def _channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def build(self, input_shape):
        if not _check_rank(self, input_shape, self.rank + 2):
            self._bad = True
            return
        cin = input_shape[self._channel_axis()]
        if _sl.is_const(cin) and _sl.is_const(self.groups) and cin % self.groups != 0:
            _sl.fail("shape", self, "input channels", "a multiple of groups=" + str(self.groups), cin,
                     "input shape " + str(input_shape))
            self._bad = True
            return
        _set_spec(self, self._channel_axis(), cin, ndim=self.rank + 2)
        self.add_weight("kernel", self.kernel_size + (cin // self.groups, self.filters))
        if self.use_bias:
            self.add_weight("bias", (self.filters,))

    def compute_output_shape(self, s):
        if getattr(self, "_bad", False) or not _check_spec(self, s) or len(s) != self.rank + 2:
            return None
        if self.data_format == "channels_last":
            spatial = s[1:-1]
        else:
            spatial = s[2:]
        out = [conv_output_length(spatial[i], self.kernel_size[i], self.padding, self.strides[i],
                                  self.dilation_rate[i]) for i in range(self.rank)]
        if not _check_windows(self, "kernel_size", spatial, out, self.kernel_size, self.dilation_rate, s):
            return None
        if self.data_format == "channels_last":
            shape = (s[0],) + tuple(out) + (self.filters,)
        else:
            shape = (s[0], self.filters) + tuple(out)
        return shape


class Conv1D(_Conv):
    rank = 1


class Conv2D(_Conv):
    rank = 2


class Conv3D(_Conv):
    rank = 3


class Conv2DTranspose(_Conv):
    rank = 2

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", output_padding=None, **kwargs):
        _Conv.__init__(self, filters, kernel_size, strides=strides, padding=padding, **kwargs)
        self.output_padding = None if output_padding is None else norm_tuple(output_padding, 2)
        self._config["output_padding"] = self.output_padding

    def build(self, input_shape):
        if not _check_rank(self, input_shape, 4):
            self._bad = True
            return
        cin = input_shape[self._channel_axis()]
        _set_spec(self, self._channel_axis(), cin, ndim=4)
        self.add_weight("kernel", self.kernel_size + (self.filters, cin))
        if self.use_bias:
            self.add_weight("bias", (self.filters,))

    def compute_output_shape(self, s):
        if getattr(self, "_bad", False) or not _check_spec(self, s):
            return None
        cl = self.data_format == "channels_last"
        h = s[1] if cl else s[2]
        w = s[2] if cl else s[3]
        op = self.output_padding
        oh = deconv_output_length(h, self.kernel_size[0], self.padding, None if op is None else op[0],
                                  self.strides[0], self.dilation_rate[0])
        ow = deconv_output_length(w, self.kernel_size[1], self.padding, None if op is None else op[1],
                                  self.strides[1], self.dilation_rate[1])
        return (s[0], oh, ow, self.filters) if cl else (s[0], self.filters, oh, ow)


class DepthwiseConv2D(_Conv):
    rank = 2

    def __init__(self, kernel_size, strides=(1, 1), padding="valid", depth_multiplier=1, data_format=None,
                 dilation_rate=(1, 1), activation=None, use_bias=True, **kwargs):
        _Conv.__init__(self, None, kernel_size, strides=strides, padding=padding, data_format=data_format,
                       dilation_rate=dilation_rate, activation=activation, use_bias=use_bias, **kwargs)
        self.depth_multiplier = depth_multiplier
        del self._config["filters"]
        del self._config["groups"]
        self._config["depth_multiplier"] = depth_multiplier

    def build(self, input_shape):
        if not _check_rank(self, input_shape, 4):
            self._bad = True
            return
        cin = input_shape[self._channel_axis()]
        _set_spec(self, self._channel_axis(), cin, ndim=4)
        self.filters = cin * self.depth_multiplier
        self.add_weight("depthwise_kernel", self.kernel_size + (cin, self.depth_multiplier))
        if self.use_bias:
            self.add_weight("bias", (cin * self.depth_multiplier,))


class SeparableConv2D(_Conv):
    rank = 2

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), depth_multiplier=1, activation=None, use_bias=True, **kwargs):
        _Conv.__init__(self, filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                       dilation_rate=dilation_rate, activation=activation, use_bias=use_bias, **kwargs)
        self.depth_multiplier = depth_multiplier
        self._config["depth_multiplier"] = depth_multiplier

    def build(self, input_shape):
        if not _check_rank(self, input_shape, self.rank + 2):
            self._bad = True
            return
        cin = input_shape[self._channel_axis()]
        _set_spec(self, self._channel_axis(), cin, ndim=self.rank + 2)
        self.add_weight("depthwise_kernel", self.kernel_size + (cin, self.depth_multiplier))
        self.add_weight("pointwise_kernel", (1,) * self.rank + (self.depth_multiplier * cin, self.filters))
        if self.use_bias:
            self.add_weight("bias", (self.filters,))


class SeparableConv1D(SeparableConv2D):
    rank = 1


class Dense(Layer):
    def __init__(self, units, activation=None, use_bias=True, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self.units = units
        self.activation = _act_name(activation)
        self.use_bias = use_bias
        self._config = {"units": units, "activation": self.activation, "use_bias": use_bias}

    def build(self, input_shape):
        if len(input_shape) < 2:
            _sl.fail("shape", self, "input rank", "at least 2", len(input_shape), "input shape " + str(input_shape))
            self._bad = True
            return
        _set_spec(self, -1, input_shape[-1], min_ndim=2)
        self.add_weight("kernel", (input_shape[-1], self.units))
        if self.use_bias:
            self.add_weight("bias", (self.units,))

    def compute_output_shape(self, s):
        if getattr(self, "_bad", False) or not _check_spec(self, s):
            return None
        return tuple(s[:-1]) + (self.units,)


class _Pool(Layer):
    rank = 2
    default_format = None

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self.pool_size = norm_tuple(pool_size, self.rank)
        self.strides = self.pool_size if strides is None else norm_tuple(strides, self.rank)
        self.padding = norm_padding(padding)
        self.data_format = data_format if data_format is not None else (
            self.default_format if self.default_format is not None else image_data_format())
        self._config = {"pool_size": self.pool_size, "strides": self.strides, "padding": self.padding,
                        "data_format": self.data_format}

    def compute_output_shape(self, s):
        if not _check_rank(self, s, self.rank + 2):
            return None
        cl = self.data_format == "channels_last"
        spatial = s[1:-1] if cl else s[2:]
        out = tuple([conv_output_length(spatial[i], self.pool_size[i], self.padding, self.strides[i])
                     for i in range(self.rank)])
        if not _check_windows(self, "pool_size", spatial, out, self.pool_size, (1,) * self.rank, s):
            return None
        return (s[0],) + out + (s[-1],) if cl else (s[0], s[1]) + out


class MaxPooling1D(_Pool):
    rank = 1
    default_format = "channels_last"


class AveragePooling1D(MaxPooling1D):
    pass


class MaxPooling2D(_Pool):
    rank = 2


class AveragePooling2D(_Pool):
    rank = 2


class MaxPooling3D(_Pool):
    rank = 3


class AveragePooling3D(_Pool):
    rank = 3


MaxPool1D = MaxPooling1D
MaxPool2D = MaxPooling2D
MaxPool3D = MaxPooling3D
AvgPool1D = AveragePooling1D
AvgPool2D = AveragePooling2D
AvgPool3D = AveragePooling3D


class _GlobalPool(Layer):
    rank = 2
    default_format = None

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self.data_format = data_format if data_format is not None else (
            self.default_format if self.default_format is not None else image_data_format())
        self.keepdims = keepdims
        self._config = {"data_format": self.data_format, "keepdims": keepdims}

    def compute_output_shape(self, s):
        if not _check_rank(self, s, self.rank + 2):
            return None
        cl = self.data_format == "channels_last"
        c = s[-1] if cl else s[1]
        if self.keepdims:
            ones = (1,) * self.rank
            return (s[0],) + ones + (c,) if cl else (s[0], c) + ones
        return (s[0], c)


class GlobalAveragePooling1D(_GlobalPool):
    rank = 1
    default_format = "channels_last"


class GlobalMaxPooling1D(GlobalAveragePooling1D):
    pass


class GlobalAveragePooling2D(_GlobalPool):
    rank = 2


class GlobalMaxPooling2D(_GlobalPool):
    rank = 2


class GlobalAveragePooling3D(_GlobalPool):
    rank = 3


class GlobalMaxPooling3D(_GlobalPool):
    rank = 3


GlobalAvgPool1D = GlobalAveragePooling1D
GlobalAvgPool2D = GlobalAveragePooling2D
GlobalAvgPool3D = GlobalAveragePooling3D
GlobalMaxPool1D = GlobalMaxPooling1D
GlobalMaxPool2D = GlobalMaxPooling2D
GlobalMaxPool3D = GlobalMaxPooling3D


class Flatten(Layer):
    def __init__(self, data_format=None, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self.data_format = data_format if data_format is not None else image_data_format()
        self._config = {"data_format": self.data_format}

    def compute_output_shape(self, s):
        if len(s) == 1:
            return (s[0], 1)
        return (s[0], num_elements(s[1:]))


class Reshape(Layer):
    def __init__(self, target_shape, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self.target_shape = tuple(target_shape)
        self._config = {"target_shape": self.target_shape}

    def compute_output_shape(self, s):
        have = num_elements(s[1:])
        known = 1
        unknown = -1
        for i in range(len(self.target_shape)):
            d = self.target_shape[i]
            if _sl.is_const(d) and d == -1:
                if unknown >= 0:
                    _sl.fail("view", self, "target_shape", "at most one -1", "two", "only one dimension can be -1")
                    return None
                unknown = i
            else:
                known = known * d
        out = list(self.target_shape)
        # _fix_unknown_dimension: "total size of new array must be unchanged".
        detail = "target_shape " + str(self.target_shape) + " is invalid for input of shape " + str(s)
        if unknown < 0:
            if _sl.differ(known, have):
                _sl.fail("view", self, "Reshape", known, have, detail)
                return None
        elif _sl.is_const(known) and _sl.is_const(have):
            if known == 0 or have % known != 0:
                _sl.fail("view", self, "Reshape", "a multiple of " + str(known), have, detail)
                return None
            out[unknown] = have // known
        else:
            out[unknown] = _sl.fresh()
        return (s[0],) + tuple(out)


class Permute(Layer):
    def __init__(self, dims, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self.dims = tuple(dims)
        self._config = {"dims": self.dims}

    def compute_output_shape(self, s):
        if len(self.dims) != len(s) - 1:
            _sl.fail("shape", self, "dims", len(s) - 1, len(self.dims), "input shape " + str(s))
            return None
        # Keras: dims must be a permutation of 1..rank-1 (ValueError otherwise).
        if sorted(self.dims) != list(range(1, len(s))):
            _sl.fail("shape", self, "dims", "a permutation of " + str(tuple(range(1, len(s)))), str(self.dims),
                     "input shape " + str(s))
            return None
        return (s[0],) + tuple([s[d] for d in self.dims])


class RepeatVector(Layer):
    def __init__(self, n, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self.n = n
        self._config = {"n": n}

    def compute_output_shape(self, s):
        if not _check_rank(self, s, 2):
            return None
        return (s[0], self.n, s[1])


class Dropout(Layer):
    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self.rate = rate
        self._config = {"rate": rate}


class SpatialDropout1D(Dropout):
    ndim = 3

    def compute_output_shape(self, s):
        # input_spec = InputSpec(ndim=3 | 4 | 5)
        if not _check_rank(self, s, self.ndim):
            return None
        return s


class SpatialDropout2D(SpatialDropout1D):
    ndim = 4


class SpatialDropout3D(SpatialDropout1D):
    ndim = 5


class GaussianNoise(Layer):
    def __init__(self, stddev, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self._config = {"stddev": stddev}


class GaussianDropout(Dropout):
    pass


def _act_name(activation):
    if activation is None:
        return "linear"
    if isinstance(activation, str):
        return activation
    return getattr(activation, "__name__", "custom")


class Activation(Layer):
    def __init__(self, activation, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self.activation = _act_name(activation)
        self._config = {"activation": self.activation}


class ReLU(Layer):
    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self._config = {"max_value": max_value, "negative_slope": negative_slope, "threshold": threshold}


class Softmax(Layer):
    def __init__(self, axis=-1, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self._config = {"axis": axis}


class LeakyReLU(Layer):
    def __init__(self, alpha=0.3, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self._config = {"alpha": alpha}


class ELU(Layer):
    def __init__(self, alpha=1.0, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self._config = {"alpha": alpha}


class ThresholdedReLU(Layer):
    def __init__(self, theta=1.0, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self._config = {"theta": theta}


class PReLU(Layer):
    def __init__(self, alpha_initializer="zeros", alpha_regularizer=None, alpha_constraint=None, shared_axes=None,
                 **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self.shared_axes = shared_axes
        self._config = {"shared_axes": shared_axes}

    def build(self, input_shape):
        shape = list(input_shape[1:])
        if self.shared_axes is not None:
            axes = self.shared_axes if isinstance(self.shared_axes, (list, tuple)) else [self.shared_axes]
            for i in axes:
                shape[i - 1] = 1
        self.add_weight("alpha", tuple(shape))


class Rescaling(Layer):
    def __init__(self, scale, offset=0.0, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self._config = {"scale": scale, "offset": offset}


class BatchNormalization(Layer):
    def __init__(self, axis=-1, momentum=0.99, epsilon=0.001, center=True, scale=True, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self.axis = axis
        self.center = center
        self.scale = scale
        self._config = {"axis": axis, "momentum": momentum, "epsilon": epsilon, "center": center, "scale": scale}

    def build(self, input_shape):
        axes = self.axis if isinstance(self.axis, (list, tuple)) else [self.axis]
        n = 1
        for a in axes:
            if a >= len(input_shape) or a < -len(input_shape):
                _sl.fail("shape", self, "axis", "an axis of the input", a, "input shape " + str(input_shape))
                return
            n = n * input_shape[a]
        if not isinstance(self.axis, (list, tuple)):
            _set_spec(self, self.axis, input_shape[self.axis], ndim=len(input_shape))
        if self.scale:
            self.add_weight("gamma", (n,))
        if self.center:
            self.add_weight("beta", (n,))
        self.add_weight("moving_mean", (n,), trainable=False)
        self.add_weight("moving_variance", (n,), trainable=False)

    def compute_output_shape(self, s):
        if not _check_spec(self, s):
            return None
        return s


class LayerNormalization(Layer):
    def __init__(self, axis=-1, epsilon=0.001, center=True, scale=True, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self.axis = axis
        self.center = center
        self.scale = scale
        self._config = {"axis": axis, "epsilon": epsilon, "center": center, "scale": scale}

    def build(self, input_shape):
        axes = self.axis if isinstance(self.axis, (list, tuple)) else [self.axis]
        shape = tuple([input_shape[a] for a in axes])
        if self.scale:
            self.add_weight("gamma", shape)
        if self.center:
            self.add_weight("beta", shape)


class Embedding(Layer):
    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform", embeddings_regularizer=None,
                 activity_regularizer=None, embeddings_constraint=None, mask_zero=False, input_length=None,
                 **kwargs):
        # Keras' Embedding always declares an input shape: (input_length,), or
        # (None,) without one, so that it builds a Sequential it starts.
        self._default_input_shape = False
        if "input_shape" not in kwargs and "batch_input_shape" not in kwargs:
            if input_length:
                kwargs["input_shape"] = (input_length,) if not isinstance(input_length, (list, tuple)) else tuple(input_length)
            else:
                kwargs["input_shape"] = (None,)
                self._default_input_shape = True
        Layer.__init__(self, **base_kwargs(kwargs))
        self.input_dim = input_dim
        self.output_dim = output_dim
        self._config = {"input_dim": input_dim, "output_dim": output_dim, "input_length": input_length}

    def _check_declared_input(self, inputs):
        # The default (None,) is no statement about the input: Keras applies
        # an Embedding to ids of any rank.
        if not self._default_input_shape:
            Layer._check_declared_input(self, inputs)

    def build(self, input_shape):
        self.add_weight("embeddings", (self.input_dim, self.output_dim))

    def compute_output_shape(self, s):
        return tuple(s) + (self.output_dim,)


class ZeroPadding2D(Layer):
    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        if isinstance(padding, int):
            padding = ((padding, padding), (padding, padding))
        elif isinstance(padding[0], int):
            padding = ((padding[0], padding[0]), (padding[1], padding[1]))
        self.padding = (tuple(padding[0]), tuple(padding[1]))
        self.data_format = _data_format(data_format)
        self._config = {"padding": self.padding, "data_format": self.data_format}

    def compute_output_shape(self, s):
        if not _check_rank(self, s, 4):
            return None
        p = self.padding
        if self.data_format == "channels_last":
            return (s[0], s[1] + p[0][0] + p[0][1], s[2] + p[1][0] + p[1][1], s[3])
        return (s[0], s[1], s[2] + p[0][0] + p[0][1], s[3] + p[1][0] + p[1][1])


class Cropping2D(Layer):
    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        if isinstance(cropping, int):
            cropping = ((cropping, cropping), (cropping, cropping))
        elif isinstance(cropping[0], int):
            cropping = ((cropping[0], cropping[0]), (cropping[1], cropping[1]))
        self.cropping = (tuple(cropping[0]), tuple(cropping[1]))
        self.data_format = _data_format(data_format)
        self._config = {"cropping": self.cropping, "data_format": self.data_format}

    def compute_output_shape(self, s):
        if not _check_rank(self, s, 4):
            return None
        c = self.cropping
        if self.data_format == "channels_last":
            shape = (s[0], s[1] - c[0][0] - c[0][1], s[2] - c[1][0] - c[1][1], s[3])
        else:
            shape = (s[0], s[1], s[2] - c[0][0] - c[0][1], s[3] - c[1][0] - c[1][1])
        if not _check_positive(self, shape, "output size"):
            return None
        return shape


class UpSampling2D(Layer):
    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self.size = norm_tuple(size, 2)
        self.data_format = _data_format(data_format)
        self._config = {"size": self.size, "data_format": self.data_format, "interpolation": interpolation}

    def compute_output_shape(self, s):
        if not _check_rank(self, s, 4):
            return None
        if self.data_format == "channels_last":
            return (s[0], s[1] * self.size[0], s[2] * self.size[1], s[3])
        return (s[0], s[1], s[2] * self.size[0], s[3] * self.size[1])


def _pairs(value, n):
    """conv_utils.normalize_tuple for 3D padding / cropping: int p ->
    ((p, p),) * n; n ints -> ((a, a), ...); n pairs as given."""
    if isinstance(value, int):
        return tuple([(value, value)] * n)
    out = []
    for v in value:
        out.append((v, v) if isinstance(v, int) else tuple(v))
    return tuple(out)


def _spatial(s, data_format):
    return list(s[1:-1]) if data_format == "channels_last" else list(s[2:])


def _with_spatial(s, data_format, spatial):
    if data_format == "channels_last":
        return (s[0],) + tuple(spatial) + (s[-1],)
    return (s[0], s[1]) + tuple(spatial)


class ZeroPadding1D(Layer):
    """(batch, steps, features); padding p or (left, right)."""

    def __init__(self, padding=1, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self.padding = (padding, padding) if isinstance(padding, int) else tuple(padding)
        self._config = {"padding": self.padding}

    def compute_output_shape(self, s):
        if not _check_rank(self, s, 3):
            return None
        return (s[0], s[1] + self.padding[0] + self.padding[1], s[2])


class ZeroPadding3D(Layer):
    def __init__(self, padding=(1, 1, 1), data_format=None, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self.padding = _pairs(padding, 3)
        self.data_format = _data_format(data_format)
        self._config = {"padding": self.padding, "data_format": self.data_format}

    def compute_output_shape(self, s):
        if not _check_rank(self, s, 5):
            return None
        sp = _spatial(s, self.data_format)
        return _with_spatial(s, self.data_format, [sp[i] + self.padding[i][0] + self.padding[i][1] for i in range(3)])


class Cropping1D(Layer):
    """(batch, steps, features); cropping c or (start, end)."""

    def __init__(self, cropping=(1, 1), **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self.cropping = (cropping, cropping) if isinstance(cropping, int) else tuple(cropping)
        self._config = {"cropping": self.cropping}

    def compute_output_shape(self, s):
        if not _check_rank(self, s, 3):
            return None
        shape = (s[0], s[1] - self.cropping[0] - self.cropping[1], s[2])
        if not _check_positive(self, shape, "output size"):
            return None
        return shape


class Cropping3D(Layer):
    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self.cropping = _pairs(cropping, 3)
        self.data_format = _data_format(data_format)
        self._config = {"cropping": self.cropping, "data_format": self.data_format}

    def compute_output_shape(self, s):
        if not _check_rank(self, s, 5):
            return None
        sp = _spatial(s, self.data_format)
        shape = _with_spatial(s, self.data_format,
                              [sp[i] - self.cropping[i][0] - self.cropping[i][1] for i in range(3)])
        if not _check_positive(self, shape, "output size"):
            return None
        return shape


class UpSampling1D(Layer):
    def __init__(self, size=2, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self.size = size
        self._config = {"size": size}

    def compute_output_shape(self, s):
        if not _check_rank(self, s, 3):
            return None
        return (s[0], s[1] * self.size, s[2])


class UpSampling3D(Layer):
    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self.size = norm_tuple(size, 3)
        self.data_format = _data_format(data_format)
        self._config = {"size": self.size, "data_format": self.data_format}

    def compute_output_shape(self, s):
        if not _check_rank(self, s, 5):
            return None
        sp = _spatial(s, self.data_format)
        return _with_spatial(s, self.data_format, [sp[i] * self.size[i] for i in range(3)])


# ---- Merge layers -------------------------------------------------------------


class _Merge(Layer):
    def __init__(self, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))

    def compute_output_shape(self, shapes):
        if not isinstance(shapes, list) or len(shapes) < 2:
            _sl.fail("shape", self, "inputs", "a list of at least 2 tensors", 1, "a merge layer takes a list")
            return None
        # _compute_elemwise_op_output_shape: the non-batch shapes broadcast
        # from the right (a size 1 takes the other size); an input of lower
        # rank is expanded at axis 1 by call, so ranks may differ.
        out = list(shapes[0][1:])
        for j in range(1, len(shapes)):
            s = list(shapes[j][1:])
            longer = s if len(s) > len(out) else out
            shorter = out if len(s) > len(out) else s
            off = len(longer) - len(shorter)
            merged = list(longer[:off])
            for i in range(len(shorter)):
                a = longer[off + i]
                b = shorter[i]
                if _sl.same(a, 1):
                    merged.append(b)
                elif _sl.same(b, 1):
                    merged.append(a)
                elif not _sl.check_equal(self, "dimension " + str(off + i + 1), a, b,
                                         "inputs " + str(shapes[0]) + " and " + str(shapes[j]) +
                                         " cannot be combined"):
                    return None
                else:
                    merged.append(a if _sl.is_const(a) else b)
            out = merged
        batch = shapes[0][0]
        for s in shapes:
            if _sl.is_const(s[0]):
                batch = s[0]
        return (batch,) + tuple(out)


class Add(_Merge):
    pass


class Subtract(_Merge):
    def compute_output_shape(self, shapes):
        if isinstance(shapes, list) and len(shapes) != 2:
            _sl.fail("shape", self, "inputs", 2, len(shapes), "a `Subtract` layer takes exactly 2 inputs")
            return None
        return _Merge.compute_output_shape(self, shapes)


class Multiply(_Merge):
    pass


class Average(_Merge):
    pass


class Maximum(_Merge):
    pass


class Minimum(_Merge):
    pass


class Concatenate(Layer):
    def __init__(self, axis=-1, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self.axis = axis
        self._config = {"axis": axis}

    def compute_output_shape(self, shapes):
        if not isinstance(shapes, list) or len(shapes) < 1:
            return None
        first = shapes[0]
        rank = len(first)
        axis = self.axis if self.axis >= 0 else rank + self.axis
        out = list(first)
        for j in range(1, len(shapes)):
            s = shapes[j]
            if len(s) != rank:
                _sl.fail("shape", self, "input rank", rank, len(s), "inputs " + str(first) + " and " + str(s))
                return None
            for i in range(1, rank):
                if i == axis:
                    continue
                if not _sl.check_equal(self, "dimension " + str(i), first[i], s[i],
                                       "sizes must match except on axis " + str(self.axis) + ": " + str(first) +
                                       " and " + str(s)):
                    return None
            out[axis] = out[axis] + s[axis]
        return tuple(out)


class Dot(Layer):
    def __init__(self, axes, normalize=False, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self.axes = axes
        self._config = {"axes": axes, "normalize": normalize}

    def compute_output_shape(self, shapes):
        a = shapes[0]
        b = shapes[1]
        axes = self.axes if isinstance(self.axes, (list, tuple)) else [self.axes, self.axes]
        ia = axes[0] if axes[0] >= 0 else len(a) + axes[0]
        ib = axes[1] if axes[1] >= 0 else len(b) + axes[1]
        if not _sl.check_equal(self, "contracted dimension", a[ia], b[ib], "inputs " + str(a) + " and " + str(b)):
            return None
        out = [a[i] for i in range(len(a)) if i != ia] + [b[i] for i in range(1, len(b)) if i != ib]
        if len(out) == 1:
            out.append(1)
        return tuple(out)


def add(inputs, **kwargs):
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    return Minimum(**kwargs)(inputs)


def concatenate(inputs, axis=-1, **kwargs):
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs, axes, normalize=False, **kwargs):
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)


# ---- Lambda -----------------------------------------------------------------


class Lambda(Layer):
    """Runs its function on the symbolic inputs (as tf.keras traces it); what
    the function does with unmodeled ops is unknown."""

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self.function = function
        self.arguments = arguments if arguments is not None else {}
        self.declared_output_shape = output_shape
        self._config = {"function": getattr(function, "__name__", "lambda")}

    def call(self, inputs, *args, **kwargs):
        out = self.function(inputs, **self.arguments)
        if isinstance(out, KerasTensor):
            return out
        if isinstance(out, (list, tuple)) and len(out) > 0 and len([t for t in out if isinstance(t, KerasTensor)]) == len(out):
            return list(out)
        if isinstance(self.declared_output_shape, tuple):
            return KerasTensor((flatten(inputs)[0].shape[0],) + self.declared_output_shape)
        return UnknownTensor()


from keras.recurrent import SimpleRNN, LSTM, GRU, Bidirectional, TimeDistributed  # noqa: E402


def __getattr__(name):
    return _sl.unknown("keras.layers." + name)
