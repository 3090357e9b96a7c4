//go:build amd64 && !purego

#include "textflag.h"

// Two SHA-1 compressions at once on the SHA extensions.
//
// SHA-1 (FIPS 180-4, 6.1.2) runs 80 rounds t = 0..79 over a state
// a, b, c, d, e:
//
//	T = ROTL5(a) + f_t(b, c, d) + e + K_t + W_t
//	e, d, c, b, a = d, c, ROTL30(b), a, T
//
// with f and K changing every 20 rounds (Ch, Parity, Maj, Parity), and
// the schedule W_0..15 = the block's big-endian words,
// W_t = ROTL1(W_t-3 ^ W_t-8 ^ W_t-14 ^ W_t-16).
//
// SHA1RNDS4 $f, src, dst runs four of those rounds, f selecting the
// function and constant (0..3 for rounds 0-19, 20-39, 40-59, 60-79). dst
// holds a, b, c, d, a in the top lane (bits 127:96) and d in the bottom
// one. src holds the four words the rounds add, W_t for round t in the
// same lane order, except that round 0's word must already include e:
// the instruction takes no e, it only passes the state's d along as the
// next e. So the 80 rounds are 20 groups of four, group g adding
// M_g = [W_4g, W_4g+1, W_4g+2, W_4g+3] (top lane first).
//
// Where the e of group g+1 comes from: four rounds shift the state so
// that e_4 = d_3 = c_2 = ROTL30(b_1) = ROTL30(a_0), the a that group g
// started from. SHA1NEXTE src, dst computes exactly that: the top lane
// of dst becomes ROTL30(dst's top lane) + src's top lane, the other
// lanes src's. So keeping a copy of the state from before group g, E,
// SHA1NEXTE M_g+1, E gives group g+1's src. Group 0 has its e from the
// previous block: it is kept as a vector [e, 0, 0, 0] and added with
// PADDD. After group 19, SHA1NEXTE of that saved [e, 0, 0, 0] onto the
// state before group 19 gives the new e plus the old one, still with
// zero lower lanes: the Davies-Meyer addition for e, and the vector the
// next block starts from. a..d get theirs with one PADDD.
//
// The schedule four words at a time: SHA1MSG1 src, dst makes, lane by
// lane, dst[i] ^ dst[i+2] over the six words dst[0..3], src[0..1]; with
// dst = M_k-4 and src = M_k-3 that is W_t-16 ^ W_t-14 for t = 4k..4k+3.
// A PXOR of M_k-2 adds W_t-8. SHA1MSG2 src, dst then XORs each lane with
// W_t-3 and rotates by one: the first three W_t-3 are src = M_k-1's
// lower lanes, the fourth is the new top lane just computed. So
//
//	M_k = MSG2(MSG1(M_k-4, M_k-3) ^ M_k-2, M_k-1)
//
// and M_k can overwrite M_k-4: four registers hold the schedule.
//
// Each SHA1RNDS4 depends on the one before, and its latency is several
// times its issue interval: one message leaves the SHA unit mostly idle.
// Two independent messages, interleaved instruction by instruction, give
// it a second chain to work on while the first waits.
//
// Registers, message 1 | message 2:
//
//	X0 | X7       state a, b, c, d
//	X1, X2 | X8, X9    E: group src / copy of the state, alternating
//	X3..X6 | X10..X13  M_k in X3 + k%4 | X10 + k%4
//	X14           the PSHUFB mask reversing 16 bytes
//	frame 0..31 | 32..63  the block's starting a..d and [e, 0, 0, 0]
//
// Reversing the 16 bytes of a load puts the first big-endian word, byte
// swapped into a number, in the top lane: M_k straight from memory.

// The PSHUFB control that reverses a register's 16 bytes: result byte i
// is source byte 15-i.
DATA sha1x2rev<>+0(SB)/8, $0x08090a0b0c0d0e0f
DATA sha1x2rev<>+8(SB)/8, $0x0001020304050607
GLOBL sha1x2rev<>(SB), RODATA|NOPTR, $16

// LOAD loads M_k of both messages from offset off and swaps it into
// lane order.
#define LOAD(off, ma, mb) \
	MOVOU off(SI), ma; \
	MOVOU off(DI), mb; \
	PSHUFB X14, ma; \
	PSHUFB X14, mb

// ROUNDS runs group g for both messages: ea|eb is the group's src, sa|sb
// receives the state from before the group.
#define ROUNDS(f, ea, sa, eb, sb) \
	MOVO X0, sa; \
	MOVO X7, sb; \
	SHA1RNDS4 $f, ea, X0; \
	SHA1RNDS4 $f, eb, X7

// NEXTE makes group g's src in ea|eb (the state before group g-1) from
// M_g in ma|mb.
#define NEXTE(ma, ea, mb, eb) \
	SHA1NEXTE ma, ea; \
	SHA1NEXTE mb, eb

// SCHED1 starts M_k in the register of M_k-4 (m4): M_k-4 ^ ... of
// M_k-3 (m3), then ^ M_k-2 (m2).
#define SCHED1(m3, m2, m4, n3, n2, n4) \
	SHA1MSG1 m3, m4; \
	SHA1MSG1 n3, n4; \
	PXOR m2, m4; \
	PXOR n2, n4

// SCHED2 finishes M_k (in m0) with M_k-1 (m1).
#define SCHED2(m1, m0, n1, n0) \
	SHA1MSG2 m1, m0; \
	SHA1MSG2 n1, n0

// STEP is group g >= 4: finish M_g, make the src, run the rounds, and
// start M_g+1 (which the caller skips after group 18 with STEPLAST).
#define STEP(f, m0, m1, m2, m3, ea, sa, n0, n1, n2, n3, eb, sb) \
	SCHED2(m3, m0, n3, n0); \
	NEXTE(m0, ea, n0, eb); \
	ROUNDS(f, ea, sa, eb, sb); \
	SCHED1(m2, m3, m1, n2, n3, n1)

#define STEPLAST(f, m0, m3, ea, sa, n0, n3, eb, sb) \
	SCHED2(m3, m0, n3, n0); \
	NEXTE(m0, ea, n0, eb); \
	ROUNDS(f, ea, sa, eb, sb)

// func sha1x2(a, b *[5]uint32, pa, pb *byte, n int)
TEXT ·sha1x2(SB), NOSPLIT, $64-40
	MOVQ a+0(FP), AX
	MOVQ b+8(FP), BX
	MOVQ pa+16(FP), SI
	MOVQ pb+24(FP), DI
	MOVQ n+32(FP), CX
	MOVOU sha1x2rev<>(SB), X14

	// a..d from memory order (h0 in the bottom lane) to h0 on top; e
	// alone in the top lane.
	MOVOU (AX), X0
	MOVOU (BX), X7
	PSHUFD $0x1b, X0, X0
	PSHUFD $0x1b, X7, X7
	PXOR X1, X1
	PXOR X8, X8
	PINSRD $3, 16(AX), X1
	PINSRD $3, 16(BX), X8

block:
	MOVOU X0, 0(SP)
	MOVOU X1, 16(SP)
	MOVOU X7, 32(SP)
	MOVOU X8, 48(SP)
	LOAD(0, X3, X10)
	LOAD(16, X4, X11)
	LOAD(32, X5, X12)
	LOAD(48, X6, X13)

	// Group 0 (f = 0 for groups 0 to 4): e joins W_0 by addition.
	PADDD X3, X1
	PADDD X10, X8
	ROUNDS(0, X1, X2, X8, X9)
	// Groups 1 to 3 take their words straight from the block.
	NEXTE(X4, X2, X11, X9)
	ROUNDS(0, X2, X1, X9, X8)
	NEXTE(X5, X1, X12, X8)
	ROUNDS(0, X1, X2, X8, X9)
	NEXTE(X6, X2, X13, X9)
	ROUNDS(0, X2, X1, X9, X8)
	SCHED1(X4, X5, X3, X11, X12, X10) // M_4
	// Groups 4 to 19: M_g is in X3 + g%4; the src alternates between
	// X1 (even g) and X2 (odd g); f is g/5 (rounds 4g..4g+3 of 20).
	STEP(0, X3, X4, X5, X6, X1, X2, X10, X11, X12, X13, X8, X9) // 4
	STEP(1, X4, X5, X6, X3, X2, X1, X11, X12, X13, X10, X9, X8) // 5
	STEP(1, X5, X6, X3, X4, X1, X2, X12, X13, X10, X11, X8, X9) // 6
	STEP(1, X6, X3, X4, X5, X2, X1, X13, X10, X11, X12, X9, X8) // 7
	STEP(1, X3, X4, X5, X6, X1, X2, X10, X11, X12, X13, X8, X9) // 8
	STEP(1, X4, X5, X6, X3, X2, X1, X11, X12, X13, X10, X9, X8) // 9
	STEP(2, X5, X6, X3, X4, X1, X2, X12, X13, X10, X11, X8, X9) // 10
	STEP(2, X6, X3, X4, X5, X2, X1, X13, X10, X11, X12, X9, X8) // 11
	STEP(2, X3, X4, X5, X6, X1, X2, X10, X11, X12, X13, X8, X9) // 12
	STEP(2, X4, X5, X6, X3, X2, X1, X11, X12, X13, X10, X9, X8) // 13
	STEP(2, X5, X6, X3, X4, X1, X2, X12, X13, X10, X11, X8, X9) // 14
	STEP(3, X6, X3, X4, X5, X2, X1, X13, X10, X11, X12, X9, X8) // 15
	STEP(3, X3, X4, X5, X6, X1, X2, X10, X11, X12, X13, X8, X9) // 16
	STEP(3, X4, X5, X6, X3, X2, X1, X11, X12, X13, X10, X9, X8) // 17
	STEP(3, X5, X6, X3, X4, X1, X2, X12, X13, X10, X11, X8, X9) // 18
	STEPLAST(3, X6, X5, X2, X1, X13, X12, X9, X8)               // 19

	// X1|X8 hold the state from before group 19: the new e is
	// ROTL30 of its a plus the block's starting e.
	MOVOU 16(SP), X3
	MOVOU 48(SP), X10
	SHA1NEXTE X3, X1
	SHA1NEXTE X10, X8
	MOVOU 0(SP), X4
	MOVOU 32(SP), X11
	PADDD X4, X0
	PADDD X11, X7

	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ block

	PSHUFD $0x1b, X0, X0
	PSHUFD $0x1b, X7, X7
	MOVOU X0, (AX)
	MOVOU X7, (BX)
	PEXTRD $3, X1, 16(AX)
	PEXTRD $3, X8, 16(BX)
	RET
