"""Stage 5, mix: the timeline streamed to samples in bounded chunks, with the ducked background bed."""
