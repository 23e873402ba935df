"""keras / tf.keras, modeled by shapelint (see engine.py)."""
import _shapelint as _sl
from keras import backend, layers, models, utils
from keras.engine import Input, Model, Sequential



def __getattr__(name):
    return _sl.unknown("keras." + name)
