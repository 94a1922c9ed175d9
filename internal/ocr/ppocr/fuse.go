package ppocr

import (
	"encoding/binary"
	"math"
	"slices"

	"google.golang.org/protobuf/encoding/protowire"
)

// The PaddleOCR models, exported by paddle2onnx, spell every HardSwish as
// four elementwise passes (x+3, Clip 0..6, ·x, /6) and follow most
// convolutions with a learnable scalar affine (·a, +b). ONNX Runtime fuses
// neither: profiled on 10 generated cards, a third of the recogniser's
// kernel time went to those passes. fuseModel rewrites both before the
// session is made, exactly (up to float rounding):
//
//   - x·Clip(x+3, 0, 6)/6 becomes x·HardSigmoid(x) with alpha 1/6, beta ½;
//   - Conv → ·a → +b, a and b scalar constants, becomes one Conv with its
//     weights ·a and its bias ·a + b;
//   - ·a → +b → a 1×1 unpadded Conv becomes that Conv with its weights ·a
//     and b·ΣW added to its bias;
//   - then (blocked) each HardSwish's HardSigmoid reads a 1×1 depthwise
//     identity Conv, and a ·a → +b after the HardSwish becomes a 1×1
//     depthwise Conv: ONNX Runtime keeps Conv, Conv+HardSigmoid and Mul in
//     its blocked NCHWc layout but not a lone HardSigmoid or a scalar
//     affine, and paid a reorder out of the layout and one back in around
//     each HardSwish (16 % of the recogniser's kernel time, profiled).
//
// Measured (ktpocr bench --workers 1 --limit 60, seed 20261127, two runs
// each): p50 0.72 → 0.64 s with the first two, → 0.63 s with the third,
// the same fields read. The blocked rewrite: recogniser kernel time 3.28 →
// 2.61 s and detector 0.96 → 0.82 s over 5 reads of the test card; p50
// 0.573 → 0.515 s (ktpocr bench, seed 9003, 2 workers), the same fields
// read. TestFusedModelsReadAlike
// compares the rewritten models with the originals on real cards.

// ONNX protobuf field numbers (onnx.proto3).
const (
	modelGraph    = 7
	graphNode     = 1
	nodeInput     = 1
	nodeOutput    = 2
	nodeName      = 3
	nodeOpType    = 4
	nodeAttribute = 5
	attrName      = 1
	attrFloat     = 2
	attrInt       = 3
	attrTensor    = 5
	attrInts      = 8
	attrType      = 20
	tensorDims    = 1
	tensorType    = 2
	tensorRaw     = 9

	attrTypeFloat  = 1
	attrTypeInt    = 2
	attrTypeTensor = 4
	tensorFloat    = 1
)

// pbField is one field of a protobuf message, kept as read so that the
// fields this file does not touch are written back unchanged.
type pbField struct {
	num protowire.Number
	typ protowire.Type
	val []byte // the bytes of a length-delimited field; the encoded value otherwise
	x   uint64 // a varint's value
}

func pbParse(b []byte) ([]pbField, error) {
	var out []pbField
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return nil, protowire.ParseError(n)
		}
		b = b[n:]
		f := pbField{num: num, typ: typ}
		switch typ {
		case protowire.BytesType:
			f.val, n = protowire.ConsumeBytes(b)
		case protowire.VarintType:
			f.x, n = protowire.ConsumeVarint(b)
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
			if n >= 0 {
				f.val = b[:n]
			}
		}
		if n < 0 {
			return nil, protowire.ParseError(n)
		}
		b = b[n:]
		out = append(out, f)
	}
	return out, nil
}

func pbEncode(fs []pbField) []byte {
	var b []byte
	for _, f := range fs {
		b = protowire.AppendTag(b, f.num, f.typ)
		switch f.typ {
		case protowire.BytesType:
			b = protowire.AppendBytes(b, f.val)
		case protowire.VarintType:
			b = protowire.AppendVarint(b, f.x)
		default:
			b = append(b, f.val...)
		}
	}
	return b
}

func pbString(num protowire.Number, s string) pbField {
	return pbField{num: num, typ: protowire.BytesType, val: []byte(s)}
}

// onnxNode is a NodeProto with its inputs, outputs and op type read out.
type onnxNode struct {
	fields    []pbField
	ins, outs []string
	op        string
}

func newNode(fields []pbField) onnxNode {
	n := onnxNode{fields: fields}
	for _, f := range fields {
		switch f.num {
		case nodeInput:
			n.ins = append(n.ins, string(f.val))
		case nodeOutput:
			n.outs = append(n.outs, string(f.val))
		case nodeOpType:
			n.op = string(f.val)
		}
	}
	return n
}

// attrs returns the node's attributes by name, each parsed.
func (n onnxNode) attrs() map[string][]pbField {
	out := map[string][]pbField{}
	for _, f := range n.fields {
		if f.num != nodeAttribute {
			continue
		}
		af, err := pbParse(f.val)
		if err != nil {
			continue
		}
		for _, a := range af {
			if a.num == attrName {
				out[string(a.val)] = af
			}
		}
	}
	return out
}

// floatAttr returns the float attribute name of n.
func (n onnxNode) floatAttr(name string) (float32, bool) {
	for _, f := range n.attrs()[name] {
		if f.num == attrFloat && len(f.val) == 4 {
			return math.Float32frombits(binary.LittleEndian.Uint32(f.val)), true
		}
	}
	return 0, false
}

// constFloats returns the float32 values of a Constant node's tensor
// (raw_data only, as paddle2onnx writes them), and its dimensions.
func (n onnxNode) constFloats() (v []float32, dims []int, ok bool) {
	if n.op != "Constant" {
		return nil, nil, false
	}
	for _, f := range n.attrs()["value"] {
		if f.num != attrTensor {
			continue
		}
		tf, err := pbParse(f.val)
		if err != nil {
			return nil, nil, false
		}
		isFloat := false
		for _, t := range tf {
			switch t.num {
			case tensorDims:
				dims = append(dims, ints(t)...)
			case tensorType:
				isFloat = t.x == tensorFloat
			case tensorRaw:
				v = floatsOf(t.val)
			}
		}
		return v, dims, isFloat && v != nil
	}
	return nil, nil, false
}

// ints returns the int64 values of a repeated field, packed or not.
func ints(f pbField) []int {
	if f.typ == protowire.VarintType {
		return []int{int(f.x)}
	}
	var out []int
	for b := f.val; len(b) > 0; {
		d, k := protowire.ConsumeVarint(b)
		if k < 0 {
			return nil
		}
		out = append(out, int(d))
		b = b[k:]
	}
	return out
}

// intsAttr returns the ints attribute name of n.
func (n onnxNode) intsAttr(name string) ([]int, bool) {
	af, ok := n.attrs()[name]
	var out []int
	for _, f := range af {
		if f.num == attrInts {
			out = append(out, ints(f)...)
		}
	}
	return out, ok
}

func floatsOf(raw []byte) []float32 {
	if len(raw)%4 != 0 {
		return nil
	}
	v := make([]float32, len(raw)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return v
}

func rawOf(v []float32) []byte {
	raw := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(x))
	}
	return raw
}

// constNode returns a Constant node named name holding v (float32), with
// dimensions dims (none: 1-D).
func constNode(name string, v []float32, dims ...int) onnxNode {
	if len(dims) == 0 {
		dims = []int{len(v)}
	}
	return tensorNode(name, tensorFloat, rawOf(v), dims...)
}

// withConstFloats returns the Constant node n with its tensor's values
// replaced by v (same count).
func (n onnxNode) withConstFloats(v []float32) onnxNode {
	out := make([]pbField, len(n.fields))
	copy(out, n.fields)
	for i, f := range out {
		if f.num != nodeAttribute {
			continue
		}
		af, err := pbParse(f.val)
		if err != nil {
			continue
		}
		for j, a := range af {
			if a.num != attrTensor {
				continue
			}
			tf, err := pbParse(a.val)
			if err != nil {
				continue
			}
			for k, t := range tf {
				if t.num == tensorRaw {
					tf[k].val = rawOf(v)
				}
			}
			af[j].val = pbEncode(tf)
		}
		out[i].val = pbEncode(af)
	}
	return newNode(out)
}

func floatAttrField(name string, v float32) pbField {
	return pbField{num: nodeAttribute, typ: protowire.BytesType, val: pbEncode([]pbField{
		pbString(attrName, name),
		{num: attrFloat, typ: protowire.Fixed32Type, val: binary.LittleEndian.AppendUint32(nil, math.Float32bits(v))},
		{num: attrType, typ: protowire.VarintType, x: attrTypeFloat},
	})}
}

func intAttrField(name string, v int) pbField {
	return pbField{num: nodeAttribute, typ: protowire.BytesType, val: pbEncode([]pbField{
		pbString(attrName, name),
		{num: attrInt, typ: protowire.VarintType, x: uint64(v)},
		{num: attrType, typ: protowire.VarintType, x: attrTypeInt},
	})}
}

// fuseCounts says how many patterns fuseModel rewrote.
type fuseCounts struct{ hardSwish, affine, before, blocked int }

// graph is a model's node list with who produces and who consumes each
// tensor.
type graph struct {
	nodes     []onnxNode
	dropped   []bool
	producer  map[string]int
	consumers map[string][]int
}

func newGraph(nodes []onnxNode) *graph {
	g := &graph{nodes: nodes, dropped: make([]bool, len(nodes)), producer: map[string]int{}, consumers: map[string][]int{}}
	for i, n := range nodes {
		for _, o := range n.outs {
			g.producer[o] = i
		}
		for _, in := range n.ins {
			g.consumers[in] = append(g.consumers[in], i)
		}
	}
	return g
}

// scalar returns the value of tensor name when a Constant of one float
// produces it.
func (g *graph) scalar(name string) (float32, bool) {
	p, ok := g.producer[name]
	if !ok {
		return 0, false
	}
	v, _, ok := g.nodes[p].constFloats()
	if !ok || len(v) != 1 {
		return 0, false
	}
	return v[0], true
}

// only returns the one live consumer of tensor name with op type op, when
// it has one output.
func (g *graph) only(name, op string) (int, bool) {
	cs := g.consumers[name]
	if len(cs) != 1 || g.dropped[cs[0]] || g.nodes[cs[0]].op != op || len(g.nodes[cs[0]].outs) != 1 {
		return 0, false
	}
	return cs[0], true
}

// other returns the input of binary node n that is not name.
func other(n onnxNode, name string) (string, bool) {
	switch {
	case len(n.ins) != 2:
		return "", false
	case n.ins[0] == name:
		return n.ins[1], true
	case n.ins[1] == name:
		return n.ins[0], true
	}
	return "", false
}

// own returns the Constant producing tensor name, its values and
// dimensions, when nothing but one node reads it (so that changing it
// changes nothing else).
func (g *graph) own(name string) (int, []float32, []int, bool) {
	p, ok := g.producer[name]
	if !ok || len(g.consumers[name]) != 1 {
		return 0, nil, nil, false
	}
	v, dims, ok := g.nodes[p].constFloats()
	return p, v, dims, ok
}

// hardSwish rewrites the HardSwish starting at node i (x+3), if it is one.
func (g *graph) hardSwish(i int) bool {
	add := g.nodes[i]
	if add.op != "Add" || len(add.ins) != 2 || len(add.outs) != 1 {
		return false
	}
	x := add.ins[0]
	if v, ok := g.scalar(add.ins[1]); !ok || v != 3 {
		return false
	}
	ci, ok := g.only(add.outs[0], "Clip")
	if !ok {
		return false
	}
	clip := g.nodes[ci]
	var lo, hi float32
	var okLo, okHi bool
	if len(clip.ins) == 3 { // opset ≥ 11: bounds are inputs
		lo, okLo = g.scalar(clip.ins[1])
		hi, okHi = g.scalar(clip.ins[2])
	} else {
		lo, okLo = clip.floatAttr("min")
		hi, okHi = clip.floatAttr("max")
	}
	if !okLo || !okHi || lo != 0 || hi != 6 {
		return false
	}
	mi, ok := g.only(clip.outs[0], "Mul")
	if !ok {
		return false
	}
	if o, ok := other(g.nodes[mi], clip.outs[0]); !ok || o != x {
		return false
	}
	di, ok := g.only(g.nodes[mi].outs[0], "Div")
	if !ok {
		return false
	}
	div := g.nodes[di]
	if len(div.ins) != 2 {
		return false
	}
	if v, ok := g.scalar(div.ins[1]); !ok || v != 6 || div.ins[0] != g.nodes[mi].outs[0] {
		return false
	}
	hs := add.outs[0] + "/hardsigmoid"
	g.nodes[i] = newNode([]pbField{pbString(nodeInput, x), pbString(nodeOutput, hs), pbString(nodeName, hs),
		pbString(nodeOpType, "HardSigmoid"), floatAttrField("alpha", 1.0/6), floatAttrField("beta", 0.5)})
	g.nodes[di] = newNode([]pbField{pbString(nodeInput, x), pbString(nodeInput, hs), pbString(nodeOutput, div.outs[0]),
		pbString(nodeName, div.outs[0]+"/hardswish"), pbString(nodeOpType, "Mul")})
	g.dropped[ci], g.dropped[mi] = true, true
	return true
}

// affine folds the scalar ·a, +b after Conv node i into it, if they are
// there and its weights and bias are constants of its own.
func (g *graph) affine(i int) (extra *onnxNode, ok bool) {
	conv := g.nodes[i]
	if conv.op != "Conv" || len(conv.ins) < 2 || len(conv.outs) != 1 {
		return nil, false
	}
	mi, ok := g.only(conv.outs[0], "Mul")
	if !ok {
		return nil, false
	}
	aName, ok := other(g.nodes[mi], conv.outs[0])
	if !ok {
		return nil, false
	}
	a, ok := g.scalar(aName)
	if !ok {
		return nil, false
	}
	ai, ok := g.only(g.nodes[mi].outs[0], "Add")
	if !ok {
		return nil, false
	}
	bName, ok := other(g.nodes[ai], g.nodes[mi].outs[0])
	if !ok {
		return nil, false
	}
	b, ok := g.scalar(bName)
	if !ok {
		return nil, false
	}
	wi, w, wdims, ok := g.own(conv.ins[1])
	if !ok || len(wdims) != 4 || wdims[0] <= 0 {
		return nil, false
	}
	cout := wdims[0]
	var bias []float32
	bi := -1
	if len(conv.ins) == 3 {
		if bi, bias, _, ok = g.own(conv.ins[2]); !ok || len(bias) != cout {
			return nil, false
		}
	} else {
		bias = make([]float32, cout)
	}
	for k := range w {
		w[k] *= a
	}
	for k := range bias {
		bias[k] = bias[k]*a + b
	}
	g.nodes[wi] = g.nodes[wi].withConstFloats(w)
	// The Conv now writes the Add's output, with the folded bias.
	var fs []pbField
	for _, f := range conv.fields {
		if f.num == nodeOutput {
			f = pbString(nodeOutput, g.nodes[ai].outs[0])
		}
		fs = append(fs, f)
	}
	if bi >= 0 {
		g.nodes[bi] = g.nodes[bi].withConstFloats(bias)
	} else {
		name := conv.outs[0] + "/bias"
		c := constNode(name, bias)
		extra = &c
		// The bias goes right after the weights, the inputs' order.
		var with []pbField
		for _, f := range fs {
			with = append(with, f)
			if f.num == nodeInput && string(f.val) == conv.ins[1] {
				with = append(with, pbString(nodeInput, name))
			}
		}
		fs = with
	}
	g.nodes[i] = newNode(fs)
	g.dropped[mi], g.dropped[ai] = true, true
	return extra, true
}

// before folds a scalar ·a, +b (node i the ·a) into the 1×1, unpadded
// Conv that alone reads it: Conv(a·h + b) = Conv'(h) with weights a·W and
// bias c + b·ΣW. Before a padded Conv the fold would be wrong at the
// borders (the padding is 0, not b), so those stay.
func (g *graph) before(i int) bool {
	mul := g.nodes[i]
	if mul.op != "Mul" || len(mul.ins) != 2 || len(mul.outs) != 1 {
		return false
	}
	var h string
	var a float32
	if v, ok := g.scalar(mul.ins[0]); ok {
		h, a = mul.ins[1], v
	} else if v, ok := g.scalar(mul.ins[1]); ok {
		h, a = mul.ins[0], v
	} else {
		return false
	}
	ai, ok := g.only(mul.outs[0], "Add")
	if !ok {
		return false
	}
	add := g.nodes[ai]
	bName, ok := other(add, mul.outs[0])
	if !ok {
		return false
	}
	b, ok := g.scalar(bName)
	if !ok {
		return false
	}
	ci, ok := g.only(add.outs[0], "Conv")
	if !ok || len(g.nodes[ci].ins) < 2 || g.nodes[ci].ins[0] != add.outs[0] {
		return false
	}
	conv := g.nodes[ci]
	if pads, _ := conv.intsAttr("pads"); slices.ContainsFunc(pads, func(p int) bool { return p != 0 }) {
		return false
	}
	wi, w, wdims, ok := g.own(conv.ins[1])
	if !ok || len(wdims) != 4 || wdims[2] != 1 || wdims[3] != 1 || wdims[0] <= 0 || len(w)%wdims[0] != 0 {
		return false
	}
	cout, per := wdims[0], len(w)/wdims[0]
	var bias []float32
	bi := -1
	if len(conv.ins) == 3 {
		if bi, bias, _, ok = g.own(conv.ins[2]); !ok || len(bias) != cout {
			return false
		}
	}
	if bi < 0 {
		return false // no bias to carry b·ΣW (the convs here all have one)
	}
	for o := range cout {
		var sum float32
		for k := o * per; k < (o+1)*per; k++ {
			sum += w[k]
			w[k] *= a
		}
		bias[o] += b * sum
	}
	g.nodes[wi] = g.nodes[wi].withConstFloats(w)
	g.nodes[bi] = g.nodes[bi].withConstFloats(bias)
	var fs []pbField
	for _, f := range conv.fields {
		if f.num == nodeInput && string(f.val) == add.outs[0] {
			f = pbString(nodeInput, h)
		}
		fs = append(fs, f)
	}
	g.nodes[ci] = newNode(fs)
	g.dropped[i], g.dropped[ai] = true, true
	return true
}

// channels returns the output channels of the Conv producing tensor name.
func (g *graph) channels(name string) (int, bool) {
	p, ok := g.producer[name]
	if !ok || g.dropped[p] || g.nodes[p].op != "Conv" || len(g.nodes[p].ins) < 2 {
		return 0, false
	}
	wp, ok := g.producer[g.nodes[p].ins[1]]
	if !ok {
		return 0, false
	}
	_, dims, ok := g.nodes[wp].constFloats()
	if !ok || len(dims) != 4 || dims[0] <= 0 {
		return 0, false
	}
	return dims[0], true
}

// depthwise returns a 1×1 depthwise Conv node computing out = in·a + b per
// channel, with its two Constant inputs.
func depthwise(in, out string, c int, a, b float32) []onnxNode {
	w, bias := make([]float32, c), make([]float32, c)
	for k := range c {
		w[k], bias[k] = a, b
	}
	wn, bn := constNode(out+"/w", w, c, 1, 1, 1), constNode(out+"/b", bias)
	conv := newNode([]pbField{pbString(nodeInput, in), pbString(nodeInput, out+"/w"), pbString(nodeInput, out+"/b"),
		pbString(nodeOutput, out), pbString(nodeName, out), pbString(nodeOpType, "Conv"), intAttrField("group", c)})
	return []onnxNode{wn, bn, conv}
}

// placed is nodes to put before node (-1: none).
type placed struct {
	node   int
	consts []onnxNode
}

// blocked rewrites the HardSigmoid node i that reads a Conv's output also
// read elsewhere (the one HardSwish made), and a scalar ·a, +b after its
// product, into forms ONNX Runtime keeps in its blocked (NCHWc) layout:
// HardSigmoid on a 1×1 depthwise identity Conv, which the runtime fuses
// into one pass, and the affine as a 1×1 depthwise Conv. It returns the
// nodes to put before node i, and the constants of the affine's Conv with
// where they go.
func (g *graph) blocked(i int) (before []onnxNode, at placed, ok bool) {
	hs := g.nodes[i]
	if hs.op != "HardSigmoid" || len(hs.ins) != 1 || len(hs.outs) != 1 {
		return nil, placed{node: -1}, false
	}
	x := hs.ins[0]
	if len(g.consumers[x]) < 2 {
		return nil, placed{node: -1}, false // the runtime fuses a Conv read by HardSigmoid alone
	}
	c, ok := g.channels(x)
	if !ok {
		return nil, placed{node: -1}, false
	}
	id := depthwise(x, hs.outs[0]+"/id", c, 1, 0)
	var fs []pbField
	for _, f := range hs.fields {
		if f.num == nodeInput {
			f = pbString(nodeInput, hs.outs[0]+"/id")
		}
		fs = append(fs, f)
	}
	g.nodes[i] = newNode(fs)
	before = id
	// The product x·HardSigmoid(x), then maybe ·a, +b.
	mi, ok := g.only(hs.outs[0], "Mul")
	if !ok {
		return before, placed{node: -1}, true
	}
	y := g.nodes[mi].outs[0]
	ai, ok := g.only(y, "Mul")
	if !ok {
		return before, placed{node: -1}, true
	}
	aName, ok := other(g.nodes[ai], y)
	if !ok {
		return before, placed{node: -1}, true
	}
	a, ok := g.scalar(aName)
	if !ok {
		return before, placed{node: -1}, true
	}
	bi, ok := g.only(g.nodes[ai].outs[0], "Add")
	if !ok {
		return before, placed{node: -1}, true
	}
	bName, ok := other(g.nodes[bi], g.nodes[ai].outs[0])
	if !ok {
		return before, placed{node: -1}, true
	}
	b, ok := g.scalar(bName)
	if !ok {
		return before, placed{node: -1}, true
	}
	aff := depthwise(y, g.nodes[bi].outs[0], c, a, b)
	g.nodes[ai] = aff[2]
	g.dropped[bi] = true
	return before, placed{node: ai, consts: aff[:2]}, true
}

// fuseModel returns the ONNX model data with its HardSwish and scalar
// affine patterns rewritten (see above), and how many of each it found.
func fuseModel(data []byte) ([]byte, fuseCounts, error) {
	var c fuseCounts
	model, gi, gf, nodes, err := modelGraphNodes(data)
	if err != nil {
		return nil, c, err
	}
	g := newGraph(nodes)
	for i := range g.nodes {
		if !g.dropped[i] && g.hardSwish(i) {
			c.hardSwish++
		}
	}
	// The HardSwish rewrite keeps every tensor name the affine pass looks
	// up, so the maps stay valid for it.
	var extra []onnxNode
	for i := range g.nodes {
		if g.dropped[i] {
			continue
		}
		if x, ok := g.affine(i); ok {
			c.affine++
			if x != nil {
				extra = append(extra, *x)
			}
		}
	}
	for i := range g.nodes {
		if !g.dropped[i] && g.before(i) {
			c.before++
		}
	}
	// Nodes go back in their order (new constants first: ONNX wants a
	// tensor produced before it is used), the other graph fields as read.
	live := extra
	for i, n := range g.nodes {
		if !g.dropped[i] {
			live = append(live, n)
		}
	}
	// The passes above left the producer map stale where they redirected
	// outputs: the last pass maps the live nodes afresh.
	g = newGraph(live)
	prefix := map[int][]onnxNode{}
	for i := range g.nodes {
		if g.dropped[i] {
			continue
		}
		if pre, at, ok := g.blocked(i); ok {
			c.blocked++
			prefix[i] = append(prefix[i], pre...)
			if at.node >= 0 {
				prefix[at.node] = append(prefix[at.node], at.consts...)
			}
		}
	}
	var out []onnxNode
	for i, n := range g.nodes {
		out = append(out, prefix[i]...)
		if !g.dropped[i] {
			out = append(out, n)
		}
	}
	return withNodes(model, gi, gf, out), c, nil
}
