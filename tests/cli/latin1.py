import torch
# café in Latin-1
x = 1
