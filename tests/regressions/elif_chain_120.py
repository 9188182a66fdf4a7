import time


async def f(x):
    if x == 0:
        pass
    elif x == 1:
        time.sleep(1)
    elif x == 2:
        time.sleep(2)
    elif x == 3:
        time.sleep(3)
    elif x == 4:
        time.sleep(4)
    elif x == 5:
        time.sleep(5)
    elif x == 6:
        time.sleep(6)
    elif x == 7:
        time.sleep(7)
    elif x == 8:
        time.sleep(8)
    elif x == 9:
        time.sleep(9)
    elif x == 10:
        time.sleep(10)
    elif x == 11:
        time.sleep(11)
    elif x == 12:
        time.sleep(12)
    elif x == 13:
        time.sleep(13)
    elif x == 14:
        time.sleep(14)
    elif x == 15:
        time.sleep(15)
    elif x == 16:
        time.sleep(16)
    elif x == 17:
        time.sleep(17)
    elif x == 18:
        time.sleep(18)
    elif x == 19:
        time.sleep(19)
    elif x == 20:
        time.sleep(20)
    elif x == 21:
        time.sleep(21)
    elif x == 22:
        time.sleep(22)
    elif x == 23:
        time.sleep(23)
    elif x == 24:
        time.sleep(24)
    elif x == 25:
        time.sleep(25)
    elif x == 26:
        time.sleep(26)
    elif x == 27:
        time.sleep(27)
    elif x == 28:
        time.sleep(28)
    elif x == 29:
        time.sleep(29)
    elif x == 30:
        time.sleep(30)
    elif x == 31:
        time.sleep(31)
    elif x == 32:
        time.sleep(32)
    elif x == 33:
        time.sleep(33)
    elif x == 34:
        time.sleep(34)
    elif x == 35:
        time.sleep(35)
    elif x == 36:
        time.sleep(36)
    elif x == 37:
        time.sleep(37)
    elif x == 38:
        time.sleep(38)
    elif x == 39:
        time.sleep(39)
    elif x == 40:
        time.sleep(40)
    elif x == 41:
        time.sleep(41)
    elif x == 42:
        time.sleep(42)
    elif x == 43:
        time.sleep(43)
    elif x == 44:
        time.sleep(44)
    elif x == 45:
        time.sleep(45)
    elif x == 46:
        time.sleep(46)
    elif x == 47:
        time.sleep(47)
    elif x == 48:
        time.sleep(48)
    elif x == 49:
        time.sleep(49)
    elif x == 50:
        time.sleep(50)
    elif x == 51:
        time.sleep(51)
    elif x == 52:
        time.sleep(52)
    elif x == 53:
        time.sleep(53)
    elif x == 54:
        time.sleep(54)
    elif x == 55:
        time.sleep(55)
    elif x == 56:
        time.sleep(56)
    elif x == 57:
        time.sleep(57)
    elif x == 58:
        time.sleep(58)
    elif x == 59:
        time.sleep(59)
    elif x == 60:
        time.sleep(60)
    elif x == 61:
        time.sleep(61)
    elif x == 62:
        time.sleep(62)
    elif x == 63:
        time.sleep(63)
    elif x == 64:
        time.sleep(64)
    elif x == 65:
        time.sleep(65)
    elif x == 66:
        time.sleep(66)
    elif x == 67:
        time.sleep(67)
    elif x == 68:
        time.sleep(68)
    elif x == 69:
        time.sleep(69)
    elif x == 70:
        time.sleep(70)
    elif x == 71:
        time.sleep(71)
    elif x == 72:
        time.sleep(72)
    elif x == 73:
        time.sleep(73)
    elif x == 74:
        time.sleep(74)
    elif x == 75:
        time.sleep(75)
    elif x == 76:
        time.sleep(76)
    elif x == 77:
        time.sleep(77)
    elif x == 78:
        time.sleep(78)
    elif x == 79:
        time.sleep(79)
    elif x == 80:
        time.sleep(80)
    elif x == 81:
        time.sleep(81)
    elif x == 82:
        time.sleep(82)
    elif x == 83:
        time.sleep(83)
    elif x == 84:
        time.sleep(84)
    elif x == 85:
        time.sleep(85)
    elif x == 86:
        time.sleep(86)
    elif x == 87:
        time.sleep(87)
    elif x == 88:
        time.sleep(88)
    elif x == 89:
        time.sleep(89)
    elif x == 90:
        time.sleep(90)
    elif x == 91:
        time.sleep(91)
    elif x == 92:
        time.sleep(92)
    elif x == 93:
        time.sleep(93)
    elif x == 94:
        time.sleep(94)
    elif x == 95:
        time.sleep(95)
    elif x == 96:
        time.sleep(96)
    elif x == 97:
        time.sleep(97)
    elif x == 98:
        time.sleep(98)
    elif x == 99:
        time.sleep(99)
    elif x == 100:
        time.sleep(100)
    elif x == 101:
        time.sleep(101)
    elif x == 102:
        time.sleep(102)
    elif x == 103:
        time.sleep(103)
    elif x == 104:
        time.sleep(104)
    elif x == 105:
        time.sleep(105)
    elif x == 106:
        time.sleep(106)
    elif x == 107:
        time.sleep(107)
    elif x == 108:
        time.sleep(108)
    elif x == 109:
        time.sleep(109)
    elif x == 110:
        time.sleep(110)
    elif x == 111:
        time.sleep(111)
    elif x == 112:
        time.sleep(112)
    elif x == 113:
        time.sleep(113)
    elif x == 114:
        time.sleep(114)
    elif x == 115:
        time.sleep(115)
    elif x == 116:
        time.sleep(116)
    elif x == 117:
        time.sleep(117)
    elif x == 118:
        time.sleep(118)
    elif x == 119:
        time.sleep(119)
