"""tensorflow, as far as model code needs it: tf.keras is Keras (the
interpreter maps tensorflow.keras.* to keras.*); other TF ops are unknown."""
import _shapelint as _sl
import keras
from keras.engine import KerasTensor

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


def __getattr__(name):
    return _sl.unknown("tensorflow." + name)
