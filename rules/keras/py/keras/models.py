"""keras.models."""
import _shapelint as _sl
from keras.engine import Model, Sequential


def __getattr__(name):
    return _sl.unknown("keras.models." + name)
