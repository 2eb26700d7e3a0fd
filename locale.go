package main

// Imported first for its side effect: keeps Fyne from logging locale
// errors on stderr under C.UTF-8 (see package fynelocale).
import _ "github.com/myeloview/myeloview/internal/fynelocale"
