/// Cochlea model: waveform -> 700 channels of spikes (see issue 2).
