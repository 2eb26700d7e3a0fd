package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// darkTheme is Fyne's default theme always in its dark variant, whatever
// the desktop's preference: radiology reading rooms are dark, and a bright
// frame around a grey-scale image changes how its contrast is perceived.
type darkTheme struct{ base fyne.Theme }

// newDarkTheme returns the viewer's theme.
func newDarkTheme() fyne.Theme { return darkTheme{base: theme.DefaultTheme()} }

func (t darkTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNameBackground:
		return color.NRGBA{R: 0x16, G: 0x17, B: 0x1a, A: 0xff}
	case theme.ColorNameInputBackground, theme.ColorNameMenuBackground, theme.ColorNameOverlayBackground:
		return color.NRGBA{R: 0x22, G: 0x24, B: 0x28, A: 0xff}
	}
	return t.base.Color(n, theme.VariantDark)
}

func (t darkTheme) Font(s fyne.TextStyle) fyne.Resource     { return t.base.Font(s) }
func (t darkTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base.Icon(n) }

func (t darkTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNamePadding:
		return 3
	case theme.SizeNameInnerPadding:
		return 6
	case theme.SizeNameText:
		return 13
	}
	return t.base.Size(n)
}
