"""tensorflow, as far as model code needs it: tf.keras is Keras (the
interpreter maps tensorflow.keras.* to keras.*); other TF ops are unknown."""
import _shapelint as _sl
import keras
from keras.engine import KerasTensor, UnknownTensor, any_unknown, num_elements

float32 = "float32"
int32 = "int32"
int64 = "int64"


def _tensor(shape, dtype=None):
    if isinstance(shape, (list, tuple)):
        return KerasTensor(tuple(shape), dtype if isinstance(dtype, str) else "float32")
    return _sl.unknown("tensorflow tensor of unknown shape")


def zeros(shape, dtype=None, name=None):
    return _tensor(shape, dtype)


def ones(shape, dtype=None, name=None):
    return _tensor(shape, dtype)


class random:
    """tf.random: tensors of a given shape (values do not matter here)."""

    @staticmethod
    def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None, name=None):
        return _tensor(shape, dtype)

    @staticmethod
    def uniform(shape, minval=0, maxval=None, dtype=None, seed=None, name=None):
        return _tensor(shape, dtype)


# ---- Ops that subclassed models' call methods use on symbolic tensors ---------
# Sizes are compared through the intrinsics; a mismatch is a shape-mismatch
# (view-size-mismatch for reshape) at the user's line.


def _axis(axis, rank):
    return axis + rank if axis < 0 else axis


def concat(values, axis, name=None):
    if any_unknown(values) or len(values) == 0:
        return UnknownTensor()
    first = values[0].shape
    rank = len(first)
    ax = _axis(axis, rank)
    out = list(first)
    for t in values[1:]:
        s = t.shape
        if len(s) != rank:
            _sl.fail("shape", None, "tf.concat rank", rank, len(s), "tensors " + str(first) + " and " + str(s))
            return UnknownTensor()
        for i in range(rank):
            if i != ax and not _sl.check_equal(None, "tf.concat dimension " + str(i), first[i], s[i],
                                               "sizes must match except on axis " + str(axis) + ": " +
                                               str(first) + " and " + str(s)):
                return UnknownTensor()
        out[ax] = out[ax] + s[ax]
    return KerasTensor(tuple(out), values[0].dtype)


def reshape(tensor, shape, name=None):
    if any_unknown(tensor) or not isinstance(shape, (list, tuple)):
        return UnknownTensor()
    have = num_elements(tensor.shape)
    known = 1
    infer = -1
    for i in range(len(shape)):
        if _sl.is_const(shape[i]) and shape[i] == -1:
            infer = i
        else:
            known = known * shape[i]
    out = list(shape)
    if infer < 0:
        if _sl.differ(known, have):
            _sl.fail("view", None, "tf.reshape element count", known, have,
                     "shape " + str(tuple(shape)) + " is invalid for a tensor of shape " + str(tensor.shape))
            return UnknownTensor()
        return KerasTensor(tuple(out), tensor.dtype)
    q = _sl.div_exact(have, known)
    if q is None:
        if _sl.is_const(have) and _sl.is_const(known):
            _sl.fail("view", None, "tf.reshape element count", "a multiple of " + str(known), have,
                     "shape " + str(tuple(shape)) + " is invalid for a tensor of shape " + str(tensor.shape))
            return UnknownTensor()
        q = _sl.fresh()
    out[infer] = q
    return KerasTensor(tuple(out), tensor.dtype)


def matmul(a, b, transpose_a=False, transpose_b=False, name=None):
    if any_unknown([a, b]) or len(a.shape) < 2 or len(b.shape) < 2:
        return UnknownTensor()
    sa = list(a.shape)
    sb = list(b.shape)
    if transpose_a:
        sa[-1], sa[-2] = sa[-2], sa[-1]
    if transpose_b:
        sb[-1], sb[-2] = sb[-2], sb[-1]
    if not _sl.check_equal(None, "tf.matmul inner dimension", sa[-1], sb[-2],
                           "matmul of " + str(a.shape) + " and " + str(b.shape)):
        return UnknownTensor()
    return KerasTensor(tuple(sa[:-1]) + (sb[-1],), a.dtype)


def transpose(a, perm=None, name=None):
    if any_unknown(a):
        return UnknownTensor()
    s = a.shape
    if perm is None:
        perm = list(range(len(s) - 1, -1, -1))
    return KerasTensor(tuple([s[p] for p in perm]), a.dtype)


def expand_dims(x, axis, name=None):
    if any_unknown(x):
        return UnknownTensor()
    s = list(x.shape)
    ax = axis + len(s) + 1 if axis < 0 else axis
    s.insert(ax, 1)
    return KerasTensor(tuple(s), x.dtype)


def squeeze(x, axis=None, name=None):
    if any_unknown(x) or axis is None:
        return UnknownTensor()
    axes = axis if isinstance(axis, (list, tuple)) else [axis]
    axes = [_axis(a, len(x.shape)) for a in axes]
    return KerasTensor(tuple([x.shape[i] for i in range(len(x.shape)) if i not in axes]), x.dtype)


def _reduce(x, axis=None, keepdims=False, name=None):
    if any_unknown(x):
        return UnknownTensor()
    s = x.shape
    if axis is None:
        return KerasTensor((1,) * len(s) if keepdims else (), x.dtype)
    axes = axis if isinstance(axis, (list, tuple)) else [axis]
    axes = [_axis(a, len(s)) for a in axes]
    out = []
    for i in range(len(s)):
        if i in axes:
            if keepdims:
                out.append(1)
        else:
            out.append(s[i])
    return KerasTensor(tuple(out), x.dtype)


reduce_mean = _reduce
reduce_sum = _reduce
reduce_max = _reduce
reduce_min = _reduce


def _same(x, *args, **kwargs):
    return UnknownTensor() if any_unknown(x) else KerasTensor(x.shape, x.dtype)


identity = _same
sigmoid = _same
tanh = _same


def add(x, y, name=None):
    return x + y


def multiply(x, y, name=None):
    return x * y


class nn:
    """tf.nn activations and dropout: the input's shape."""
    relu = staticmethod(_same)
    relu6 = staticmethod(_same)
    gelu = staticmethod(_same)
    sigmoid = staticmethod(_same)
    tanh = staticmethod(_same)
    softmax = staticmethod(_same)
    log_softmax = staticmethod(_same)
    elu = staticmethod(_same)
    leaky_relu = staticmethod(_same)
    dropout = staticmethod(_same)


def __getattr__(name):
    return _sl.unknown("tensorflow." + name)
