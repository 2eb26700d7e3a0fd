package ui

// barLabel is one text beside the overlay's colour bar, centred
// vertically on Y.
type barLabel struct {
	Text string
	Y    float32
}

// colourBarLabels labels a colour bar that spans top to top+height, p = 1
// at the top and 0 at the bottom: its two ends and the threshold's tick.
// The threshold's value is what a reader needs most, so an end label that
// would overlap it (centres less than one line apart) is left out rather
// than printed over it: at the bundled model's threshold of 0.9625 the tick
// sits 6 of 160 pixels below "1.0". Thresholds outside 0–1 are put at the
// nearer end.
func colourBarLabels(top, height float32, threshold float64, lineHeight float32) []barLabel {
	t := min(max(threshold, 0), 1)
	tickY := top + float32(1-t)*height
	labels := make([]barLabel, 0, 3)
	if tickY-top >= lineHeight {
		labels = append(labels, barLabel{"1.0", top})
	}
	labels = append(labels, barLabel{trimFloat(threshold, 2), tickY})
	if top+height-tickY >= lineHeight {
		labels = append(labels, barLabel{"0.0", top + height})
	}
	return labels
}
