"""The APPLY side: one block per file, in signal order (source -> precoder -> DAC -> channel ->
noise -> SIC -> ADC -> SIC -> combiner -> NOMA SIC). Blocks are stateless functions or frozen
dataclasses on arrays shaped ``(..., antennas, samples)``; randomness is passed in."""
