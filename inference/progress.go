package inference

import (
	"fmt"
	"math"
	"time"
)

// ETA estimates the time left for a job that has finished done of total
// units in elapsed, from the average rate so far (batches take about the
// same time, so the average is steadier than the last batch's rate). ok
// is false until at least one unit is done, and when done ≥ total the
// estimate is zero. Pure; safe for concurrent use.
func ETA(elapsed time.Duration, done, total int) (left time.Duration, ok bool) {
	if done <= 0 || total <= 0 || elapsed < 0 {
		return 0, false
	}
	if done >= total {
		return 0, true
	}
	per := float64(elapsed) / float64(done)
	left = time.Duration(per * float64(total-done))
	return left, true
}

// FormatETA renders an estimate for people: "ETA 12 s", "ETA 3 min 05 s",
// or "ETA …" when there is none yet.
func FormatETA(left time.Duration, ok bool) string {
	if !ok {
		return "ETA …"
	}
	s := int(math.Ceil(left.Seconds()))
	if s < 60 {
		return fmt.Sprintf("ETA %d s", s)
	}
	return fmt.Sprintf("ETA %d min %02d s", s/60, s%60)
}
