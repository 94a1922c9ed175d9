package ppocr

import (
	_ "embed"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
	"google.golang.org/protobuf/encoding/protowire"
)

// Most of the recogniser's time is its pointwise (1×1) convolutions:
// matrix products of up to 480×480 weights by every column of the line
// (75 % of its kernel time, profiled on 10 generated cards).
// quantizeModel runs those in 8-bit integers, which CPUs with dot-product
// instructions multiply about three times faster than floats: each
// becomes QuantizeLinear → QLinearConv → DequantizeLinear, the weights
// int8 with a scale per output channel, the activations uint8 with one
// scale and zero point per tensor, from ranges measured on generated
// cards (TestCalibrate, rec_ranges.json). The ops are ONNX Runtime's
// com.microsoft ones, which take per-channel scales under the opset 9 the
// recogniser is exported with. A Conv whose ranges are not known stays in
// floats, and so do the squeeze-and-excitation ones (calibrator.ranges).
//
// The 8-bit recogniser reads a page as the float one does on clear cards
// but not always on hard ones, so the engine keeps both
// (ocr.RecognizeOptions.Precise) and the KTP reader asks for floats where
// a read decides a field: the NIK, the closed fields, the re-reads, and
// every line of a blurred card. Measured (ktpocr bench --workers 1, seed
// 9002, 200 photos, float then 8-bit in the same hour): p50 0.453 →
// 0.383 s, mean 0.481 → 0.420 s, peak RSS 400 → 437 MiB; two fields more
// read right and none lost. With every read in 8 bits the set lost 20
// fields and gained 7, mostly on blurred cards; ranges at the sampled
// minimum and maximum, rather than the 1e-4 quantiles, lost more.

// More ONNX protobuf field numbers (onnx.proto3).
const (
	modelOpset   = 8
	opsetDomain  = 1
	opsetVersion = 2
	graphOutput  = 12
	nodeDomain   = 7
	valueName    = 1
	valueType    = 2
	typeTensor   = 1
	ttElemType   = 1

	tensorUint8 = 2
	tensorInt8  = 3
	tensorInt32 = 6
)

const msDomain = "com.microsoft"

// qrange is the range of values a tensor took over the calibration lines.
type qrange struct{ Min, Max float32 }

// uint8Params returns the scale and zero point mapping r (widened to hold
// 0, as the quantized zero must be exact for padding) onto 0..255.
func (r qrange) uint8Params() (scale float32, zero uint8) {
	lo, hi := min(r.Min, 0), max(r.Max, 0)
	if hi-lo < 1e-6 {
		hi = lo + 1e-6
	}
	scale = (hi - lo) / 255
	z := math.Round(float64(-lo / scale))
	return scale, uint8(min(max(z, 0), 255))
}

// modelGraphNodes parses an ONNX model into its fields, the index of its
// graph field, the graph's fields and its nodes.
func modelGraphNodes(data []byte) (model []pbField, gi int, gf []pbField, nodes []onnxNode, err error) {
	model, err = pbParse(data)
	if err != nil {
		return nil, 0, nil, nil, fmt.Errorf("ppocr: reading the model: %w", err)
	}
	gi = -1
	for i, f := range model {
		if f.num == modelGraph && f.typ == protowire.BytesType {
			gi = i
		}
	}
	if gi < 0 {
		return nil, 0, nil, nil, errors.New("ppocr: the model has no graph")
	}
	gf, err = pbParse(model[gi].val)
	if err != nil {
		return nil, 0, nil, nil, fmt.Errorf("ppocr: reading the graph: %w", err)
	}
	for _, f := range gf {
		if f.num == graphNode {
			nf, err := pbParse(f.val)
			if err != nil {
				return nil, 0, nil, nil, fmt.Errorf("ppocr: reading a node: %w", err)
			}
			nodes = append(nodes, newNode(nf))
		}
	}
	return model, gi, gf, nodes, nil
}

// withNodes returns the model with its graph's nodes replaced by nodes
// and extra graph fields appended.
func withNodes(model []pbField, gi int, gf []pbField, nodes []onnxNode, extra ...pbField) []byte {
	var out []pbField
	for _, f := range gf {
		if f.num != graphNode {
			out = append(out, f)
		}
	}
	for _, n := range nodes {
		out = append(out, pbField{num: graphNode, typ: protowire.BytesType, val: pbEncode(n.fields)})
	}
	out = append(out, extra...)
	m := append([]pbField(nil), model...)
	m[gi].val = pbEncode(out)
	return pbEncode(m)
}

// pointwise returns the weights, bias and channel counts of a 1×1,
// ungrouped Conv with constant weights and bias.
func (g *graph) pointwise(i int) (w, bias []float32, cout, cin int, ok bool) {
	conv := g.nodes[i]
	if conv.op != "Conv" || len(conv.ins) != 3 || len(conv.outs) != 1 {
		return nil, nil, 0, 0, false
	}
	if gr, ok := conv.intAttr("group"); ok && gr != 1 {
		return nil, nil, 0, 0, false
	}
	wp, ok := g.producer[conv.ins[1]]
	if !ok {
		return nil, nil, 0, 0, false
	}
	w, dims, ok := g.nodes[wp].constFloats()
	if !ok || len(dims) != 4 || dims[2] != 1 || dims[3] != 1 || dims[0]*dims[1] != len(w) {
		return nil, nil, 0, 0, false
	}
	bp, ok := g.producer[conv.ins[2]]
	if !ok {
		return nil, nil, 0, 0, false
	}
	bias, _, ok = g.nodes[bp].constFloats()
	if !ok || len(bias) != dims[0] {
		return nil, nil, 0, 0, false
	}
	return w, bias, dims[0], dims[1], true
}

// intAttr returns the int attribute name of n.
func (n onnxNode) intAttr(name string) (int, bool) {
	for _, f := range n.attrs()[name] {
		if f.num == attrInt {
			return int(int64(f.x)), true
		}
	}
	return 0, false
}

// pointwiseConvs returns the input and output tensor names of the
// model's pointwise Convs, the tensors calibrate measures.
func pointwiseConvs(data []byte) ([]string, error) {
	_, _, _, nodes, err := modelGraphNodes(data)
	if err != nil {
		return nil, err
	}
	g := newGraph(nodes)
	var names []string
	for i, n := range g.nodes {
		if _, _, _, _, ok := g.pointwise(i); ok {
			names = append(names, n.ins[0], n.outs[0])
		}
	}
	return names, nil
}

// withOutputs returns the model with the float tensors names added to its
// graph outputs, so that a session returns them.
func withOutputs(data []byte, names []string) ([]byte, error) {
	model, gi, gf, nodes, err := modelGraphNodes(data)
	if err != nil {
		return nil, err
	}
	var extra []pbField
	for _, name := range names {
		tt := pbEncode([]pbField{{num: ttElemType, typ: protowire.VarintType, x: tensorFloat}})
		typ := pbEncode([]pbField{{num: typeTensor, typ: protowire.BytesType, val: tt}})
		vi := pbEncode([]pbField{pbString(valueName, name), {num: valueType, typ: protowire.BytesType, val: typ}})
		extra = append(extra, pbField{num: graphOutput, typ: protowire.BytesType, val: vi})
	}
	return withNodes(model, gi, gf, nodes, extra...), nil
}

// tensorNode returns a Constant node named name holding a tensor of ONNX
// type dtype, dimensions dims (none: a scalar) and little-endian raw data.
func tensorNode(name string, dtype int, raw []byte, dims ...int) onnxNode {
	var tf []pbField
	for _, d := range dims {
		tf = append(tf, pbField{num: tensorDims, typ: protowire.VarintType, x: uint64(d)})
	}
	t := pbEncode(append(tf,
		pbField{num: tensorType, typ: protowire.VarintType, x: uint64(dtype)},
		pbField{num: tensorRaw, typ: protowire.BytesType, val: raw},
	))
	a := pbEncode([]pbField{
		pbString(attrName, "value"),
		{num: attrTensor, typ: protowire.BytesType, val: t},
		{num: attrType, typ: protowire.VarintType, x: attrTypeTensor},
	})
	return newNode([]pbField{pbString(nodeOutput, name), pbString(nodeName, name), pbString(nodeOpType, "Constant"),
		{num: nodeAttribute, typ: protowire.BytesType, val: a}})
}

// msNode returns a com.microsoft node.
func msNode(op, name string, ins []string, out string, attrs ...pbField) onnxNode {
	var fs []pbField
	for _, in := range ins {
		fs = append(fs, pbString(nodeInput, in))
	}
	fs = append(fs, pbString(nodeOutput, out), pbString(nodeName, name), pbString(nodeOpType, op))
	fs = append(fs, attrs...)
	fs = append(fs, pbString(nodeDomain, msDomain))
	return newNode(fs)
}

// quantizeModel returns the model with each pointwise Conv whose input
// and output ranges are known run in 8 bits (see above), and how many it
// rewrote.
func quantizeModel(data []byte, ranges map[string]qrange) ([]byte, int, error) {
	model, gi, gf, nodes, err := modelGraphNodes(data)
	if err != nil {
		return nil, 0, err
	}
	g := newGraph(nodes)
	var out []onnxNode
	n := 0
	for i, node := range g.nodes {
		w, bias, cout, cin, ok := g.pointwise(i)
		if !ok {
			out = append(out, node)
			continue
		}
		rx, okX := ranges[node.ins[0]]
		ry, okY := ranges[node.outs[0]]
		if !okX || !okY {
			out = append(out, node)
			continue
		}
		n++
		p := node.outs[0] + "/q8"
		sx, zx := rx.uint8Params()
		sy, zy := ry.uint8Params()
		wq := make([]byte, len(w))
		sw := make([]float32, cout)
		bq := make([]byte, 4*cout)
		for o := range cout {
			var m float32
			for _, v := range w[o*cin : (o+1)*cin] {
				m = max(m, float32(math.Abs(float64(v))))
			}
			if m == 0 {
				m = 1
			}
			sw[o] = m / 127
			for k := o * cin; k < (o+1)*cin; k++ {
				wq[k] = byte(int8(math.Round(float64(w[k] / sw[o]))))
			}
			b := math.Round(float64(bias[o]) / (float64(sx) * float64(sw[o])))
			binary.LittleEndian.PutUint32(bq[4*o:], uint32(int32(min(max(b, math.MinInt32), math.MaxInt32))))
		}
		var attrs []pbField
		for _, f := range node.fields {
			if f.num == nodeAttribute {
				attrs = append(attrs, f)
			}
		}
		out = append(out,
			tensorNode(p+"/sx", tensorFloat, rawOf([]float32{sx})),
			tensorNode(p+"/zx", tensorUint8, []byte{zx}),
			tensorNode(p+"/w", tensorInt8, wq, cout, cin, 1, 1),
			tensorNode(p+"/sw", tensorFloat, rawOf(sw), cout),
			tensorNode(p+"/zw", tensorInt8, make([]byte, cout), cout),
			tensorNode(p+"/sy", tensorFloat, rawOf([]float32{sy})),
			tensorNode(p+"/zy", tensorUint8, []byte{zy}),
			tensorNode(p+"/b", tensorInt32, bq, cout),
			msNode("QuantizeLinear", p+"/x", []string{node.ins[0], p + "/sx", p + "/zx"}, p+"/x"),
			msNode("QLinearConv", p, []string{p + "/x", p + "/sx", p + "/zx", p + "/w", p + "/sw", p + "/zw", p + "/sy", p + "/zy", p + "/b"}, p+"/y", attrs...),
			msNode("DequantizeLinear", node.outs[0], []string{p + "/y", p + "/sy", p + "/zy"}, node.outs[0]),
		)
	}
	if n == 0 {
		return data, 0, nil
	}
	has := false
	for _, f := range model {
		if f.num != modelOpset {
			continue
		}
		of, err := pbParse(f.val)
		if err != nil {
			return nil, 0, fmt.Errorf("ppocr: reading an opset: %w", err)
		}
		for _, o := range of {
			if o.num == opsetDomain && string(o.val) == msDomain {
				has = true
			}
		}
	}
	if !has {
		model = append(model, pbField{num: modelOpset, typ: protowire.BytesType, val: pbEncode([]pbField{
			pbString(opsetDomain, msDomain), {num: opsetVersion, typ: protowire.VarintType, x: 1},
		})})
	}
	return withNodes(model, gi, gf, out), n, nil
}

// recRangesJSON holds the ranges of the recogniser's pointwise Conv
// inputs and outputs, by tensor name in the fused model, as measured by
// TestCalibrate (see there for the command).
//
//go:embed rec_ranges.json
var recRangesJSON []byte

// recRanges returns the parsed recRangesJSON.
func recRanges() (map[string]qrange, error) {
	var r map[string]qrange
	if err := json.Unmarshal(recRangesJSON, &r); err != nil {
		return nil, fmt.Errorf("ppocr: rec_ranges.json: %w", err)
	}
	return r, nil
}

// calibrator measures the ranges of the recogniser's pointwise Conv
// inputs and outputs: it runs a copy of the float model, with those
// tensors added to its outputs, on the inputs an Engine's tap shows it,
// and keeps a sample of each tensor's values.
type calibrator struct {
	sess    *ort.DynamicAdvancedSession
	names   []string
	mu      sync.Mutex
	samples map[string][]float32
	seen    map[string]int
	spread  map[string]bool // the tensor was ever more than 1×1 per channel
	rng     *rand.Rand
	err     error
}

// calibSample is the values kept per tensor (reservoir sampling).
const calibSample = 1 << 18

func newCalibrator(cfg Config) (*calibrator, error) {
	cfg = cfg.WithDefaults()
	data, err := loadModel(cfg, cfg.RecModel)
	if err != nil {
		return nil, err
	}
	names, err := pointwiseConvs(data)
	if err != nil {
		return nil, err
	}
	if data, err = withOutputs(data, names); err != nil {
		return nil, err
	}
	s, err := sessionOf(cfg, cfg.RecModel, data, []string{recInput}, append([]string{recOutput}, names...))
	if err != nil {
		return nil, err
	}
	return &calibrator{sess: s, names: names, samples: map[string][]float32{}, seen: map[string]int{}, spread: map[string]bool{},
		rng: rand.New(rand.NewPCG(1, 2))}, nil
}

// observe runs the model on one input (n lines of width w) and samples
// the values its tensors held.
func (c *calibrator) observe(in []float32, n, w int) {
	it, err := ort.NewTensor(ort.NewShape(int64(n), 3, recHeight, int64(w)), in)
	if err != nil {
		c.fail(err)
		return
	}
	defer it.Destroy()
	outs := make([]ort.Value, 1+len(c.names))
	if err := c.sess.Run([]ort.Value{it}, outs); err != nil {
		c.fail(err)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, v := range outs {
		if v == nil {
			continue
		}
		if t, ok := v.(*ort.Tensor[float32]); ok && k > 0 {
			name := c.names[k-1]
			if sh := t.GetShape(); len(sh) == 4 && sh[2]*sh[3] > 1 {
				c.spread[name] = true
			}
			s := c.samples[name]
			for _, x := range t.GetData() {
				c.seen[name]++
				if len(s) < calibSample {
					s = append(s, x)
				} else if j := c.rng.IntN(c.seen[name]); j < calibSample {
					s[j] = x
				}
			}
			c.samples[name] = s
		}
		v.Destroy()
	}
}

// ranges returns each tensor's range between the quantiles q and 1-q of
// its sampled values. Tensors pooled to one value per channel are left
// out, so that the Convs reading or writing them stay in floats: those
// are the squeeze-and-excitation gates, which cost nothing and scale
// whole channels (measured: quantized, they lost the "11" of an OCR-A
// NIK line and the "K" before it).
func (c *calibrator) ranges(q float64) map[string]qrange {
	out := map[string]qrange{}
	for name, s := range c.samples {
		if !c.spread[name] {
			continue
		}
		s = slices.Clone(s)
		slices.Sort(s)
		at := func(p float64) float32 { return s[min(len(s)-1, int(p*float64(len(s))))] }
		out[name] = qrange{Min: at(q), Max: at(1 - q)}
	}
	return out
}

func (c *calibrator) fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == nil {
		c.err = err
	}
}

func (c *calibrator) close() { c.sess.Destroy() }
