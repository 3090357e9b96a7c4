module github.com/troveproject/trove

go 1.26
