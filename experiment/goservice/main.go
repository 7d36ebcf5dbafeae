// SPDX-License-Identifier: GPL-2.0
//
// The service of the classic "my container's memory jumps on the second
// call" experiment: each call to /alloc?n=N drops the previous batch,
// allocates N entities of 40 bytes (3,000,000 of them: 120,000,000 bytes),
// reads them all and keeps them until the next call. /stats reports what
// the Go runtime believes (runtime.MemStats, what pprof and expvar show).
//
// The first batch comes from memory fresh from the kernel, which Go knows
// to be zero and does not clear: reading it maps the zero page, nothing is
// charged. The second reuses the first one's memory, which Go must clear:
// every page is written, and charged.
//
// The runtime's own views are served too, for memacct's --go: pprof's
// /debug/pprof/heap?debug=1 and expvar's /debug/vars.
package main

import (
	"encoding/json"
	_ "expvar" // /debug/vars: memstats, as expvar publishes it
	"flag"
	"log"
	"net/http"
	_ "net/http/pprof" // /debug/pprof/heap?debug=1: the MemStats block
	"runtime"
	"strconv"
)

// entity is 40 bytes: five 8-byte fields.
type entity struct {
	a, b, c, d, e int64
}

var kept []entity

type stats struct {
	Entities     int    `json:"entities"`
	HeapAlloc    uint64 `json:"heap_alloc"`
	HeapInuse    uint64 `json:"heap_inuse"`
	HeapIdle     uint64 `json:"heap_idle"`
	HeapReleased uint64 `json:"heap_released"`
	HeapSys      uint64 `json:"heap_sys"`
	StackSys     uint64 `json:"stack_sys"`
	Sys          uint64 `json:"sys"`
	NumGC        uint32 `json:"num_gc"`
}

func current() stats {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return stats{len(kept), m.HeapAlloc, m.HeapInuse, m.HeapIdle,
		m.HeapReleased, m.HeapSys, m.StackSys, m.Sys, m.NumGC}
}

func reply(w http.ResponseWriter, s stats) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(s)
	b, _ := json.Marshal(s)
	log.Printf("memstats %s", b)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	flag.Parse()
	http.HandleFunc("/alloc", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.URL.Query().Get("n"))
		if err != nil || n < 0 {
			http.Error(w, "n must be a number", http.StatusBadRequest)
			return
		}
		kept = nil
		runtime.GC()
		kept = make([]entity, n)
		var sum int64
		for i := range kept {
			sum += kept[i].a
		}
		if sum != 0 {
			log.Printf("entities are not zero")
		}
		reply(w, current())
	})
	http.HandleFunc("/stats", func(w http.ResponseWriter, r *http.Request) {
		reply(w, current())
	})
	log.Printf("listening on %s", *addr)
	log.Fatal(http.ListenAndServe(*addr, nil))
}
