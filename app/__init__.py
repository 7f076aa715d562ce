"""backprop-viz: the lecture's backpropagation, neuron by neuron, over REST and in the browser."""

__version__ = "0.1.0"
