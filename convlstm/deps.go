package convlstm
import (
 _ "codeberg.org/sbinet/npyio/npz"
 _ "gonum.org/v1/gonum/blas/blas32"
 _ "gonum.org/v1/plot"
 _ "gonum.org/v1/plot/cmpimg"
 _ "golang.org/x/image/font"
)
