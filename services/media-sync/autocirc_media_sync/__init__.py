"""media-sync: delivers licence and seal images to the traffic police."""
