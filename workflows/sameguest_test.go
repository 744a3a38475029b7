package workflows

import (
	"reflect"
	"testing"

	"github.com/guestflow/guestflow/lifecycle"
)

// sameGuest compares field by field without reflection, so a field added to
// lifecycle.Guest (or to a type it holds) can be missed. This test walks
// every field by reflection, through structs, pointers and slices: two
// guests that differ in any one field are different, and two built alike
// (pointers apart) are the same.
func TestSameGuestComparesEveryField(t *testing.T) {
	if !sameGuest(lifecycle.Guest{}, lifecycle.Guest{}) {
		t.Error("two empty guests differ")
	}
	if a, b := filledGuest(t), filledGuest(t); !sameGuest(a, b) {
		t.Error("two guests with the same values behind different pointers differ: a pointer is compared by address")
	}
	var changes []guestChange
	guestChanges(t, reflect.TypeFor[lifecycle.Guest](), "Guest", func(g reflect.Value) reflect.Value { return g }, &changes)
	for _, c := range changes {
		a, b := filledGuest(t), filledGuest(t)
		c.apply(reflect.ValueOf(&b).Elem())
		if sameGuest(a, b) || sameGuest(b, a) {
			t.Errorf("sameGuest misses %s", c.name)
		}
	}
	if len(changes) < 20 {
		t.Errorf("only %d changes tried: the walk lost fields", len(changes))
	}
}

// guestChange makes a guest differ from filledGuest in one way.
type guestChange struct {
	name  string
	apply func(guest reflect.Value)
}

// guestChanges lists, for the field of type typ that at finds in a guest,
// every change of one leaf: a value changed, a pointer left nil, a slice
// made longer.
func guestChanges(t *testing.T, typ reflect.Type, name string, at func(reflect.Value) reflect.Value, out *[]guestChange) {
	t.Helper()
	switch typ.Kind() {
	case reflect.Pointer:
		*out = append(*out, guestChange{name + " (nil)", func(g reflect.Value) { at(g).SetZero() }})
		guestChanges(t, typ.Elem(), name, func(g reflect.Value) reflect.Value { return at(g).Elem() }, out)
	case reflect.Struct:
		for i := range typ.NumField() {
			f := typ.Field(i)
			if !f.IsExported() {
				t.Fatalf("%s has unexported field %s: teach this test to vary %s", name, f.Name, typ)
			}
			guestChanges(t, f.Type, name+"."+f.Name, func(g reflect.Value) reflect.Value { return at(g).Field(i) }, out)
		}
	case reflect.Slice:
		*out = append(*out, guestChange{name + " (longer)", func(g reflect.Value) {
			s := at(g)
			s.Set(reflect.Append(s, s.Index(0)))
		}})
		guestChanges(t, typ.Elem(), name+"[0]", func(g reflect.Value) reflect.Value { return at(g).Index(0) }, out)
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		*out = append(*out, guestChange{name, func(g reflect.Value) { changeLeaf(at(g)) }})
	default:
		t.Fatalf("%s is a %s: teach this test to vary it", name, typ)
	}
}

func changeLeaf(v reflect.Value) {
	switch {
	case v.Kind() == reflect.String:
		v.SetString(v.String() + "-other")
	case v.Kind() == reflect.Bool:
		v.SetBool(!v.Bool())
	case v.CanInt():
		v.SetInt(v.Int() + 1)
	case v.CanUint():
		v.SetUint(v.Uint() + 1)
	case v.CanFloat():
		v.SetFloat(v.Float() + 1)
	}
}

// filledGuest is a guest with every field set, through pointers and slices,
// each pointer freshly allocated.
func filledGuest(t *testing.T) lifecycle.Guest {
	t.Helper()
	var g lifecycle.Guest
	fill(t, reflect.ValueOf(&g).Elem())
	return g
}

func fill(t *testing.T, v reflect.Value) {
	t.Helper()
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			if !v.Type().Field(i).IsExported() {
				t.Fatalf("%s has unexported field %s: teach this test to fill it", v.Type(), v.Type().Field(i).Name)
			}
			fill(t, v.Field(i))
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(t, v.Index(0))
	case reflect.String:
		v.SetString("set")
	case reflect.Bool:
		v.SetBool(true)
	default:
		switch {
		case v.CanInt():
			v.SetInt(1)
		case v.CanUint():
			v.SetUint(1)
		case v.CanFloat():
			v.SetFloat(1)
		default:
			t.Fatalf("%s: teach this test to fill it", v.Type())
		}
	}
}
